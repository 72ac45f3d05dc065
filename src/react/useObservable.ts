import { useEffect, useState } from "react";
import type { Observable } from "rxjs";

/**
 * Binds an observable to a component: the latest value (or `initial` until the first one).
 * Subscribes on mount and when `observable` changes identity; unsubscribes on unmount.
 * An error is returned as the `error` of the second element instead of throwing.
 */
export function useObservable<T>(observable: Observable<T> | null | undefined, initial: T): [T, unknown] {
  const [state, setState] = useState<{ value: T; error: unknown }>({ value: initial, error: null });
  useEffect(() => {
    if (!observable) return;
    const subscription = observable.subscribe({
      next: (value) => setState({ value, error: null }),
      error: (error: unknown) => setState((s) => ({ value: s.value, error })),
    });
    return () => subscription.unsubscribe();
  }, [observable]);
  return [state.value, state.error];
}

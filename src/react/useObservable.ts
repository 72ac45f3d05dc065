import { useEffect, useState } from "react";
import type { Observable } from "rxjs";

/**
 * Binds an observable to a component: the latest value (or `initial` until the first one).
 * Subscribes on mount and when `observable` changes identity; unsubscribes on unmount.
 * An error is returned as the second element instead of thrown, beside the last value; it stays
 * until a value arrives (from a new observable: an errored one emits no more).
 *
 * @param observable What to follow; null or undefined follows nothing (the value stays as it is).
 *   Keep its identity stable: the client's observables are cached per spec while in use, but
 *   `entity$()` makes a new one per call, so memoise it (`useMemo`).
 * @param initial The value until the first emission.
 * @returns `[value, error]`: the latest value, and the observable's error or null.
 * @example
 * ```tsx
 * const [session] = useObservable(gateway.session$, { status: "anonymous" });
 * const roles$ = useMemo(() => gateway.pool("role", { guildId }).all$(), [guildId]);
 * const [roles, error] = useObservable<PoolSnapshot<Role> | null>(roles$, null);
 * ```
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

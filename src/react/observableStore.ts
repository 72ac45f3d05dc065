import { useMemo } from "react";
import type { Observable } from "rxjs";
// React 18+ has it built in (the shim then hands the built-in over); React 16.8 and 17 get the shim.
import { useSyncExternalStore } from "use-sync-external-store/shim";

/** What a store shows: the latest state and the observable's error (null while none). */
export interface StoreSnapshot<T> {
  value: T;
  error: unknown;
}

/**
 * An external store (for React's `useSyncExternalStore`) over an observable: subscribes when
 * React subscribes (once per mount; StrictMode's double mount subscribes again), folds each
 * emission into the state with `step`, and tells React only when the state is another object.
 * So one emission is at most one render, and a `step` that returns the previous state for an
 * emission that changes nothing renders nothing.
 */
export function observableStore<V, T>(
  observable: Observable<V> | null | undefined,
  initial: T,
  step: (previous: T, value: V) => T,
): { subscribe(onChange: () => void): () => void; getSnapshot(): StoreSnapshot<T> } {
  let snapshot: StoreSnapshot<T> = { value: initial, error: null };
  return {
    subscribe(onChange) {
      if (!observable) return () => {};
      const subscription = observable.subscribe({
        next: (value) => {
          const next = step(snapshot.value, value);
          if (Object.is(next, snapshot.value) && snapshot.error === null) return;
          snapshot = { value: next, error: null };
          onChange();
        },
        error: (error: unknown) => {
          snapshot = { value: snapshot.value, error };
          onChange();
        },
      });
      return () => subscription.unsubscribe();
    },
    getSnapshot: () => snapshot,
  };
}

const latest = <V>(_previous: unknown, value: V): V => value;

/**
 * The state folded from `observable` (see {@link observableStore}), re-made when one of `deps`
 * changes. Server rendering (and the first render in the browser) shows `initial`.
 */
export function useObservableStore<V, T>(
  observable: () => Observable<V> | null | undefined,
  initial: T,
  step: (previous: T, value: V) => T,
  deps: readonly unknown[],
): StoreSnapshot<T> {
  const store = useMemo(() => observableStore(observable(), initial, step), deps);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/**
 * Binds an observable to a component: the latest value (or `initial` until the first one), on
 * `useSyncExternalStore` (no tearing under concurrent rendering; the server renders `initial`).
 * Subscribes on mount and when `observable` changes identity; unsubscribes on unmount.
 * An error is returned as the second element instead of thrown, beside the last value; it stays
 * until a value arrives (from a new observable: an errored one emits no more).
 *
 * @param observable What to follow; null or undefined follows nothing (`initial` shows).
 *   Keep its identity stable: the client's observables are cached per spec while in use, but
 *   `entity$()` makes a new one per call, so memoise it (`useMemo`), or use the hooks.
 * @param initial The value until the first emission.
 * @returns `[value, error]`: the latest value, and the observable's error or null.
 * @example
 * ```tsx
 * const [diagnostics] = useObservable(gateway.diagnostics$, null);
 * ```
 */
export function useObservable<T>(observable: Observable<T> | null | undefined, initial: T): [T, unknown] {
  const { value, error } = useObservableStore<T, T>(() => observable, initial, latest, [observable]);
  return [value, error];
}

export { latest };

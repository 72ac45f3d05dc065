/**
 * Disposers kept in one place and run together (socket.io-client's `subs` and `cleanup()`):
 * every listener, timer and subscription the page client sets up outside itself goes in here.
 */
export interface Disposables {
  /**
   * Keeps `dispose` until `drain()`; after it, runs it at once. Returns a function that runs it
   * now and forgets it (for what ends before the client does).
   */
  add(dispose: () => void): () => void;
  /** Runs every disposer kept, once. */
  drain(): void;
}

export function createDisposables(): Disposables {
  let kept: Set<() => void> | null = new Set();
  return {
    add(dispose) {
      if (!kept) {
        dispose();
        return () => {};
      }
      const held = kept;
      const once = () => {
        if (held.delete(once)) dispose();
      };
      held.add(once);
      return once;
    },
    drain() {
      const all = kept;
      kept = null;
      for (const dispose of all ?? []) dispose();
    },
  };
}

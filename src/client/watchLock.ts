import type { Locks } from "./environment";

/**
 * Calls `gone` once the Web Lock `name` is granted to this tab: once whoever held it (a worker,
 * for its whole life) is gone. Returns what stops watching (the request is aborted).
 */
export function watchLock(locks: Locks, name: string, gone: () => void): () => void {
  const watch = new AbortController();
  void locks.request(name, { signal: watch.signal }, gone).catch(() => {});
  return () => watch.abort();
}

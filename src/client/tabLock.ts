import type { Locks } from "./environment";

/** This tab's Web Lock, held for the whole life of the page client. */
export interface TabLock {
  /** The lock's name once held; null without Web Locks (e.g. a sandboxed frame). */
  readonly name: Promise<string | null>;
  /** Lets the lock go (or withdraws the request if it was not granted yet). */
  release(): void;
}

/**
 * Holds a Web Lock for the whole life of the page: the worker asks for the same lock and is
 * granted it exactly when the page is gone (closed, crashed, navigated away).
 */
export function holdTabLock(tabId: string, locks: Locks | null): TabLock {
  if (!locks) return { name: Promise.resolve(null), release: () => {} };
  const lockName = `archit-gateway-tab-${tabId}`;
  const request = new AbortController();
  let release = () => request.abort();
  const name = new Promise<string | null>((held) => {
    locks
      .request(lockName, { signal: request.signal }, () => {
        held(lockName);
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      })
      // No lock (e.g. a sandboxed frame): the tab still works, released by pagehide/close only.
      .catch(() => held(null));
  });
  return { name, release: () => release() };
}

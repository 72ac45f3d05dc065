/**
 * Holds a Web Lock for the whole life of the page: the worker asks for the same lock and is
 * granted it exactly when the page is gone (closed, crashed, navigated away).
 * Resolves with the lock's name once held, and a function that lets it go.
 */
export async function holdTabLock(tabId: string): Promise<{ name: string | null; release(): void }> {
  const locks = typeof navigator !== "undefined" && "locks" in navigator ? navigator.locks : null;
  if (!locks) return { name: null, release: () => {} };
  const lockName = `archit-gateway-tab-${tabId}`;
  let name: string | null = lockName;
  let release = () => {};
  await new Promise<void>((held, refused) => {
    locks
      .request(lockName, () => {
        held();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      })
      // No lock (e.g. a sandboxed frame): the tab still works, released by pagehide/close only.
      .catch((error: unknown) => refused(error));
  }).catch(() => {
    name = null;
  });
  return { name, release: () => release() };
}

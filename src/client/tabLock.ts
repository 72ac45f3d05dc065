/**
 * Holds a Web Lock for the whole life of the page: the worker asks for the same lock and is
 * granted it exactly when the page is gone (closed, crashed, navigated away).
 * Resolves with the lock's name once held, and a function that lets it go.
 */
export async function holdTabLock(tabId: string): Promise<{ name: string | null; release(): void }> {
  const locks = typeof navigator !== "undefined" && "locks" in navigator ? navigator.locks : null;
  if (!locks) return { name: null, release: () => {} };
  const name = `archit-gateway-tab-${tabId}`;
  let release = () => {};
  await new Promise<void>((held) => {
    void locks.request(name, () => {
      held();
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
  });
  return { name, release: () => release() };
}

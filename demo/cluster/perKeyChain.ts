/**
 * Runs work one at a time per key (a guild's catch-ups never overlap: each reads from where the
 * previous one left off), each run after the previous one settled, failed or not.
 */
export function createPerKeyChain(): (key: string, run: () => Promise<void>) => Promise<void> {
  const chains = new Map<string, Promise<void>>();
  return (key, run) => {
    const next = (chains.get(key) ?? Promise.resolve()).then(run, run);
    chains.set(key, next);
    const settled = () => {
      if (chains.get(key) === next) chains.delete(key);
    };
    void next.then(settled, settled);
    return next;
  };
}

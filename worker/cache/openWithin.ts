import type { Clock } from "../../src/shared";
import { readIndex, type CacheIndex } from "./cacheIndex";
import type { KeyValueStore, OpenStore } from "./keyValueStore";

/** How long the cache waits for IndexedDB to open and list its records before it turns itself off. */
export const OPEN_TIMEOUT_MS = 10_000;

/**
 * Opens the store and reads its index into `index`, within OPEN_TIMEOUT_MS (else rejects): a
 * spectate waits for the user's records, so an IndexedDB that never answers must not hold it.
 */
export async function openWithin(
  open: OpenStore,
  index: CacheIndex,
  buster: string,
  counts: { discarded: number },
  clock: Clock,
): Promise<KeyValueStore> {
  let cancel = () => {};
  try {
    return await Promise.race([
      open().then(async (store) => (await readIndex(index, store, buster, counts), store)),
      new Promise<never>((_, reject) => {
        cancel = clock.setTimeout(
          () => reject(Error(`no answer within ${OPEN_TIMEOUT_MS} ms`)),
          OPEN_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    cancel();
  }
}

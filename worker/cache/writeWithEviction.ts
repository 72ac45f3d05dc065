import type { PoolRecord, RecordMeta } from "./cacheRecord";
import type { CacheIndex, RecordKeys } from "./cacheIndex";
import type { KeyValueStore } from "./keyValueStore";

const isQuotaError = (error: unknown) =>
  error instanceof Error && (error.name === "QuotaExceededError" || /quota/i.test(error.message));

/** Removes least recently used records until at most `budget` bytes are held (`keep` aside). */
async function evict(store: KeyValueStore, index: CacheIndex, budget: number, keep: string): Promise<void> {
  const doomed = index.evict(budget, keep);
  if (doomed.length > 0) await store.delMany(doomed);
}

/**
 * Writes a record of `bytes` and its meta in one transaction, having made room for it within
 * `maxBytes` (least recently used first), and indexes it. Over the quota all the same: the older
 * half of everything held goes, and the write is tried once more. Returns the quota error when
 * that failed too (nothing written), null when written; other failures throw.
 */
export async function writeWithEviction(
  store: KeyValueStore,
  index: CacheIndex,
  keys: RecordKeys,
  record: PoolRecord,
  bytes: number,
  maxBytes: number,
): Promise<Error | null> {
  const meta: RecordMeta = { bytes, usedAt: record.savedAt };
  await evict(store, index, maxBytes - bytes, keys.data);
  for (let attempt = 0; ; attempt++) {
    try {
      await store.setMany([
        [keys.data, record],
        [keys.meta, meta],
      ]);
      break;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      if (attempt > 0) return error as Error;
      // Make room: the older half of everything held, then once more.
      await evict(store, index, index.total() / 2, keys.data);
    }
  }
  index.set(keys.data, { userId: record.userId, bytes, usedAt: record.savedAt, keys });
  return null;
}

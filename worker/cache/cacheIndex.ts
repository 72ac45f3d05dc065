import type { PoolType } from "../../src/protocol";
import type { PoolView } from "../pools/poolStore";
import { keysFor, keysOf, parseKey, recordPrefix, type RecordKeys, type RecordMeta } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

/** What the cache knows of one record on disk, apart from its data (for the budget and LRU). */
export interface IndexEntry {
  userId: string;
  bytes: number;
  usedAt: number;
  keys: RecordKeys;
  /** Its parts (see `keysOf`). */
  parts: number;
}

/** The records on disk, by data key. */
export type CacheIndex = Map<string, IndexEntry>;

/**
 * Reads the index of the records on disk into `index`; records of another format, protocol or
 * buster (an older deploy), keys without their pair and parts of no record are deleted at once,
 * and counted.
 */
export async function readIndex(
  index: CacheIndex,
  store: KeyValueStore,
  buster: string,
  counts: { discarded: number },
): Promise<void> {
  const keys = await store.keys();
  const current = recordPrefix(buster);
  const stale: string[] = [];
  const metaKeys: string[] = [];
  const dataKeys = new Set<string>();
  const partKeys: [string, { suffix: string; part: number }][] = [];
  for (const key of keys) {
    const parsed = parseKey(key);
    // Another format, protocol or buster (an older deploy): discarded at once.
    if (!parsed || !parsed.suffix.startsWith(`${current}|`)) stale.push(String(key));
    else if (parsed.kind === "m") metaKeys.push(key);
    else if (parsed.kind === "p") partKeys.push([key, parsed]);
    else dataKeys.add(key);
  }
  const metas = metaKeys.length > 0 ? await store.getMany(metaKeys) : [];
  metaKeys.forEach((metaKey, i) => {
    const meta = metas[i] as Partial<RecordMeta> | undefined;
    const dataKey = `d${metaKey.slice(1)}`;
    const userId = parseKey(metaKey)?.userId ?? "";
    if (
      !dataKeys.has(dataKey) ||
      typeof meta?.bytes !== "number" ||
      typeof meta.usedAt !== "number" ||
      !Number.isSafeInteger(meta.parts)
    )
      return void stale.push(metaKey, dataKey);
    dataKeys.delete(dataKey);
    const keys = keysFor(metaKey.slice(2));
    index.set(dataKey, { userId, bytes: meta.bytes, usedAt: meta.usedAt, keys, parts: meta.parts! });
  });
  stale.push(...dataKeys);
  // Parts of no record, or beyond its count (a shorter copy's write deletes the earlier copy's
  // extra parts after it: a worker that ended in between left them).
  for (const [key, { suffix, part }] of partKeys)
    if (!(part > 0 && part <= (index.get(`d|${suffix}`)?.parts ?? 0))) stale.push(key);
  if (stale.length > 0) {
    counts.discarded += stale.filter((k) => k.startsWith("d|")).length;
    await store.delMany(stale);
  }
}

/** The pools of `guildId` that `userId` has a record of, by type and view. */
export function recordsIn(
  index: CacheIndex,
  userId: string | null,
  guildId: string,
): [PoolType, PoolView | null][] {
  const records: [PoolType, PoolView | null][] = [];
  for (const [key, entry] of index) {
    const parsed = parseKey(key);
    if (entry.userId !== userId || parsed?.guildId !== guildId) continue;
    const [type, view] = parsed.pool.split("~");
    records.push([type as PoolType, (view as PoolView | undefined) ?? null]);
  }
  return records;
}

/** The bytes of every record held. */
export function totalBytes(index: CacheIndex): number {
  let total = 0;
  for (const entry of index.values()) total += entry.bytes;
  return total;
}

/** How many users and records the index holds, and their bytes (for diagnostics). */
export function usageOf(index: CacheIndex): { partitions: number; pools: number; approxBytes: number } {
  const users = new Set<string>();
  let approxBytes = 0;
  for (const entry of index.values()) {
    users.add(entry.userId);
    approxBytes += entry.bytes;
  }
  return { partitions: users.size, pools: index.size, approxBytes };
}

/** Removes least recently used records until at most `budget` bytes are held (`keep` aside). */
export async function evict(
  index: CacheIndex,
  store: KeyValueStore | null,
  budget: number,
  keep: string,
): Promise<void> {
  const entries = [...index.entries()]
    .filter(([key]) => key !== keep)
    .sort(([, a], [, b]) => a.usedAt - b.usedAt);
  let total = totalBytes(index) - (index.get(keep)?.bytes ?? 0);
  const doomed: string[] = [];
  for (const [key, entry] of entries) {
    if (total <= budget) break;
    total -= entry.bytes;
    index.delete(key);
    doomed.push(...keysOf(entry.keys, entry.parts));
  }
  if (doomed.length > 0) await store?.delMany(doomed);
}

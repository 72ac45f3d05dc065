import { PROTOCOL_VERSION, type Entity, type PoolType } from "../../src/protocol";
import { evict, totalBytes, type CacheIndex } from "./cacheIndex";
import {
  CACHE_FORMAT,
  HEAD_SIZE,
  PART_SIZE,
  keysOf,
  partKey,
  type PoolRecord,
  type RecordKeys,
  type RecordMeta,
} from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

/** What a pool looks like at the moment it is written. */
export interface PoolToWrite {
  userId: string;
  type: PoolType;
  guildId: string | null;
  whole: boolean;
  seq: number | null;
  entities: Iterable<Entity>;
  missing: Iterable<string>;
  /** `online`: the online view of a guild's members. */
  view?: "online" | null;
  /** Member pools: the presence seq their statuses reflect (null: unknown). */
  presenceSeq?: number | null;
}

/** A record and its parts (the entities after its head, {@link PART_SIZE} per JSON array). */
export interface RecordToWrite {
  record: PoolRecord;
  parts: string[];
}

/** The record of a pool as written at `savedAt` (its entities serialised: the head, then parts). */
export function recordOf(pool: PoolToWrite, buster: string, savedAt: number): RecordToWrite {
  const entities = [...pool.entities];
  // A pool of up to a part's size stays whole in its record: one read, as quick as its parts would be.
  const head = entities.length > PART_SIZE ? HEAD_SIZE : PART_SIZE;
  const parts: string[] = [];
  for (let i = head; i < entities.length; i += PART_SIZE)
    parts.push(JSON.stringify(entities.slice(i, i + PART_SIZE)));
  const record: PoolRecord = {
    format: CACHE_FORMAT,
    protocol: PROTOCOL_VERSION,
    buster,
    userId: pool.userId,
    type: pool.type,
    guildId: pool.guildId,
    whole: pool.whole,
    seq: pool.seq,
    savedAt,
    data: JSON.stringify(entities.slice(0, head)),
    count: entities.length,
    parts: parts.length,
    missing: [...pool.missing],
    view: pool.view ?? undefined,
    presenceSeq: pool.presenceSeq,
  };
  return { record, parts };
}

const isQuotaError = (error: unknown) =>
  error instanceof Error && (error.name === "QuotaExceededError" || /quota/i.test(error.message));

/**
 * Writes a record of `bytes` with its parts, in one transaction, and indexes it, after evicting
 * the least recently used records beyond `maxBytes`; then deletes the parts of the earlier copy
 * beyond this one's.
 * Over the storage quota, the older half of everything held goes and it is tried once more.
 * Returns the quota error of that second try (null: written).
 */
export async function writeRecord(
  index: CacheIndex,
  store: KeyValueStore,
  keys: RecordKeys,
  { record, parts }: RecordToWrite,
  bytes: number,
  maxBytes: number,
): Promise<Error | null> {
  const meta: RecordMeta = { bytes, usedAt: record.savedAt, parts: parts.length };
  await evict(index, store, maxBytes - bytes, keys.data);
  for (let attempt = 0; ; attempt++) {
    try {
      await store.setMany([
        [keys.data, record],
        [keys.meta, meta],
        ...parts.map((part, i): [string, string] => [partKey(keys, i + 1), part]),
      ]);
      break;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      if (attempt > 0) return error as Error;
      // Make room: the older half of everything held, then once more.
      await evict(index, store, totalBytes(index) / 2, keys.data);
    }
  }
  const earlier = index.get(keys.data)?.parts ?? 0;
  index.set(keys.data, { userId: record.userId, bytes, usedAt: record.savedAt, keys, parts: parts.length });
  if (earlier > parts.length) await store.delMany(keysOf(keys, earlier).slice(2 + parts.length));
  return null;
}

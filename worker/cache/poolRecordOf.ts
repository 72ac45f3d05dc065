import { PROTOCOL_VERSION, type Entity, type PoolType } from "../../src/protocol";
import { CACHE_FORMAT, recordKeys, type PoolRecord } from "./cacheRecord";
import type { RecordKeys } from "./cacheIndex";

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

/**
 * The record of a pool, where it goes, and its approximate size on disk: one byte per character
 * of the JSON (what Chromium stores for Latin-1 text), 32 per missing id, 256 of envelope.
 */
export function poolRecordOf(
  pool: PoolToWrite,
  buster: string,
  savedAt: number,
): { keys: RecordKeys; record: PoolRecord; bytes: number } {
  const keys = recordKeys(buster, pool.userId, pool.type, pool.guildId, pool.view ?? null);
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
    data: JSON.stringify([...pool.entities]),
    missing: [...pool.missing],
    view: pool.view ?? undefined,
    presenceSeq: pool.presenceSeq,
  };
  return { keys, record, bytes: record.data.length + 32 * record.missing.length + 256 };
}

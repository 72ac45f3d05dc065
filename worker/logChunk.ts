import type { LogOtherPayload } from "../src/protocol";

/**
 * The log entries of one gateway frame as tabs receive them: their JSON is made once and the
 * chunk is shared, unchanged, by the delivery queue of every tab that subscribed (so 20 tabs
 * cost one serialisation, not 20 joins).
 */
export interface LogChunk {
  /** The entries' seqs, in order. */
  readonly seqs: readonly number[];
  /** The entries' JSON, comma-separated: the inside of a JSON array. */
  readonly json: string;
  /** The same for the entries from index `index` on (a tab that had, or dropped, the first ones). */
  from(index: number): string;
}

/** A chunk of checked entries; `raw` is the gateway's own string of a single entry, kept as is. */
export function logChunk(entries: readonly LogOtherPayload[], raw?: string): LogChunk {
  const inside = (list: readonly LogOtherPayload[]) => JSON.stringify(list).slice(1, -1);
  const json = raw !== undefined && entries.length === 1 ? raw : inside(entries);
  return {
    seqs: entries.map((e) => e.seq),
    json,
    from: (index) => (index <= 0 ? json : inside(entries.slice(index))),
  };
}

import { parseKey, type RecordMeta } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

/** Where a record lives: its data key and its meta key. */
export interface RecordKeys {
  data: string;
  meta: string;
}

/** What the worker knows of one record on disk without reading it. */
export interface IndexEntry {
  userId: string;
  bytes: number;
  usedAt: number;
  keys: RecordKeys;
}

/**
 * The records on disk by data key, with their size and last use: what the byte budget and the
 * least-recently-used eviction work from, and what diagnostics count.
 */
export class CacheIndex {
  readonly #entries = new Map<string, IndexEntry>();

  get(dataKey: string): IndexEntry | undefined {
    return this.#entries.get(dataKey);
  }

  /** Marks a record used at `now`: its meta to write back (null when it is not indexed). */
  touch(dataKey: string, now: number): RecordMeta | null {
    const entry = this.#entries.get(dataKey);
    if (!entry) return null;
    entry.usedAt = now;
    return { bytes: entry.bytes, usedAt: now };
  }

  set(dataKey: string, entry: IndexEntry): void {
    this.#entries.set(dataKey, entry);
  }

  delete(dataKey: string): void {
    this.#entries.delete(dataKey);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Forgets every record of a user (their partition is deleted). */
  dropUser(userId: string): void {
    for (const [key, entry] of this.#entries) if (entry.userId === userId) this.#entries.delete(key);
  }

  /** Bytes held, approximately. */
  total(): number {
    let total = 0;
    for (const entry of this.#entries.values()) total += entry.bytes;
    return total;
  }

  /**
   * Forgets least recently used records until at most `budget` bytes are held (`keep` aside, and
   * not counted): returns the keys to delete from disk.
   */
  evict(budget: number, keep: string): string[] {
    const entries = [...this.#entries.entries()]
      .filter(([key]) => key !== keep)
      .sort(([, a], [, b]) => a.usedAt - b.usedAt);
    let total = this.total() - (this.#entries.get(keep)?.bytes ?? 0);
    const doomed: string[] = [];
    for (const [key, entry] of entries) {
      if (total <= budget) break;
      total -= entry.bytes;
      this.#entries.delete(key);
      doomed.push(entry.keys.data, entry.keys.meta);
    }
    return doomed;
  }

  /** Users with records, records, and their approximate bytes. */
  usage(): { partitions: number; pools: number; approxBytes: number } {
    const users = new Set<string>();
    for (const entry of this.#entries.values()) users.add(entry.userId);
    return { partitions: users.size, pools: this.#entries.size, approxBytes: this.total() };
  }
}

/**
 * Reads the index of an opened store: every record of the current format, protocol and buster
 * (`prefix`) that has both its data and a valid meta. Anything else (an older deploy's records,
 * a data key without meta or the reverse) is deleted, and its records counted as discarded.
 */
export async function readIndex(
  store: KeyValueStore,
  prefix: string,
  into: { index: CacheIndex; counts: { discarded: number } },
): Promise<void> {
  const keys = await store.keys();
  const stale: string[] = [];
  const metaKeys: string[] = [];
  const dataKeys = new Set<string>();
  for (const key of keys) {
    const parsed = parseKey(key);
    // Another format, protocol or buster (an older deploy): discarded at once.
    if (!parsed || !parsed.suffix.startsWith(`${prefix}|`)) stale.push(String(key));
    else if (parsed.kind === "m") metaKeys.push(key);
    else dataKeys.add(key);
  }
  const metas = metaKeys.length > 0 ? await store.getMany(metaKeys) : [];
  metaKeys.forEach((metaKey, i) => {
    const meta = metas[i] as Partial<RecordMeta> | undefined;
    const dataKey = `d${metaKey.slice(1)}`;
    const userId = parseKey(metaKey)?.userId ?? "";
    if (!dataKeys.has(dataKey) || typeof meta?.bytes !== "number" || typeof meta.usedAt !== "number")
      return void stale.push(metaKey, dataKey);
    dataKeys.delete(dataKey);
    into.index.set(dataKey, {
      userId,
      bytes: meta.bytes,
      usedAt: meta.usedAt,
      keys: { data: dataKey, meta: metaKey },
    });
  });
  stale.push(...dataKeys);
  if (stale.length > 0) {
    into.counts.discarded += stale.filter((k) => k.startsWith("d|")).length;
    await store.delMany(stale);
  }
}

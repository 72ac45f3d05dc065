import type { PoolType } from "../../src/protocol";
import type { CacheDiagnostics, CacheSettings, Clock } from "../../src/shared";
import { CacheIndex, readIndex } from "./cacheIndex";
import {
  decodeRecord,
  parseKey,
  recordKeys,
  recordPrefix,
  type RecordOf,
  type RestoredPool,
} from "./cacheRecord";
import type { KeyValueStore, OpenStore } from "./keyValueStore";
import { poolRecordOf, type PoolToWrite } from "./poolRecordOf";
import { WriteQueue } from "./writeQueue";
import { writeWithEviction } from "./writeWithEviction";

export type { PoolToWrite } from "./poolRecordOf";

export interface PoolCacheDeps {
  open: OpenStore | null;
  settings: CacheSettings | false;
  clock: Clock;
  /** Coalescing window of writes. Default 1 s. */
  writeIntervalMs?: number;
  log?: (message: string) => void;
  /** What the cache holds or counts changed (diagnostics show it). */
  changed?: () => void;
}

type Take = () => PoolToWrite | null;

/**
 * The pool cache on disk: one record per (user, type, guild), written whole and coalesced (a
 * pool that changes all the time is written about once per interval, and never on the path of
 * delivery: {@link WriteQueue}), read back on demand, bounded by age and by a byte budget (least
 * recently used first: {@link CacheIndex}), partitioned per user. Any storage failure leaves the
 * worker working memory-only.
 */
export class PoolCache {
  #store: KeyValueStore | null = null;
  #state: CacheDiagnostics["status"];
  #why: string | null;
  readonly #index = new CacheIndex();
  readonly #queue: WriteQueue<Take>;
  #partition: string | null = null;
  readonly #counts = { hits: 0, misses: 0, writes: 0, discarded: 0, errors: 0 };
  /** Time this thread spent making records (serialising), ms. */
  #serializeMs = 0;
  /** Time restores spent waiting for IndexedDB, and checking and parsing records, ms. */
  #readMs = 0;
  #decodeMs = 0;
  readonly #deps: PoolCacheDeps;
  /** Resolves once the store is open and its index read (or the cache is off). */
  readonly ready: Promise<void>;

  constructor(deps: PoolCacheDeps) {
    this.#deps = deps;
    this.#queue = new WriteQueue({
      clock: deps.clock,
      intervalMs: deps.writeIntervalMs ?? 1000,
      due: () => void this.flush(),
      failed: (error) => this.#fault("write", error),
      settled: () => deps.changed?.(),
    });
    if (deps.settings === false) {
      this.#state = "disabled";
      this.#why = "turned off by the app (cache: false)";
      this.ready = Promise.resolve();
    } else if (!deps.open) {
      this.#state = "unavailable";
      this.#why = "no storage in this context";
      this.ready = Promise.resolve();
    } else {
      this.#state = "unavailable";
      this.#why = "opening";
      this.ready = this.#open(deps.open, deps.settings);
    }
  }

  get status(): CacheDiagnostics["status"] {
    return this.#state;
  }

  /** The user whose partition is read and written (null: none). Another user's pending writes go. */
  setUser(userId: string | null): void {
    if (userId === this.#partition) return;
    this.#partition = userId;
    this.#queue.clear();
  }

  get user(): string | null {
    return this.#partition;
  }

  /** The current user's copy of a pool, or null (off, missing, too old, unreadable: discarded). */
  async read(
    type: PoolType,
    guildId: string | null,
    view: RecordOf["view"] = null,
  ): Promise<RestoredPool | null> {
    await this.ready;
    const userId = this.#partition;
    const settings = this.#deps.settings;
    if (!this.#store || this.#state !== "ready" || !userId || settings === false) return null;
    const keys = recordKeys(settings.buster, userId, type, guildId, view ?? null);
    const reading = performance.now();
    let raw: unknown;
    try {
      [raw] = await this.#store.getMany([keys.data]);
      this.#readMs += performance.now() - reading;
    } catch (error) {
      this.#fault("read", error);
      return null;
    }
    if (userId !== this.#partition) return null;
    if (raw === undefined) {
      this.#counts.misses++;
      this.#deps.changed?.();
      return null;
    }
    const now = this.#deps.clock.now();
    const decoding = performance.now();
    const expected = { buster: settings.buster, userId, type, guildId, view };
    const decoded = decodeRecord(raw, expected, now, settings.maxAgeMs);
    this.#decodeMs += performance.now() - decoding;
    if (!decoded.ok) {
      this.#counts.discarded++;
      this.#deps.log?.(`cache: discarded ${type}/${guildId ?? "-"} (${decoded.reason})`);
      await this.#remove([keys.data, keys.meta]);
      return null;
    }
    this.#counts.hits++;
    this.#deps.changed?.();
    const meta = this.#index.touch(keys.data, now);
    if (meta) this.#queue.chain(() => this.#store?.setMany([[keys.meta, meta]]));
    return decoded.pool;
  }

  /** Asks for a write of a pool; `take` is called when the write happens and gives what to write. */
  schedule(key: string, take: Take): void {
    if (this.#state === "disabled" || this.#state === "failed" || !this.#deps.open) return;
    if (this.#partition === null) return;
    this.#queue.schedule(key, take);
  }

  /** Writes what is pending now (the last tab is leaving; tests). */
  flush(): Promise<void> {
    const takes = this.#queue.take();
    // Writes asked for before the store is open wait for it.
    if (takes.length > 0) this.#queue.chain(() => this.ready.then(() => this.#writeAll(takes)));
    return this.#queue.idle;
  }

  /** Deletes a user's partition from disk (logout, another user's login), pending writes first. */
  async deleteUser(userId: string): Promise<void> {
    if (userId === this.#partition) this.#queue.clear();
    await this.ready;
    this.#queue.chain(async () => {
      if (!this.#store) return;
      const doomed = (await this.#store.keys()).filter((key) => parseKey(key)?.userId === userId);
      this.#index.dropUser(userId);
      if (doomed.length > 0) await this.#store.delMany(doomed);
    });
    await this.#queue.idle;
  }

  /** Deletes every partition (`clearCache()`). */
  async clearAll(): Promise<void> {
    this.#queue.clear();
    await this.ready;
    this.#queue.chain(async () => {
      this.#index.clear();
      await this.#store?.clear();
    });
    await this.#queue.idle;
  }

  diagnostics(): CacheDiagnostics {
    return {
      status: this.#state,
      reason: this.#why,
      ...this.#index.usage(),
      ...this.#counts,
      writeMs: Math.round((this.#serializeMs + (this.#store?.busyMs ?? 0)) * 10) / 10,
      readMs: Math.round(this.#readMs * 10) / 10,
      decodeMs: Math.round(this.#decodeMs * 10) / 10,
    };
  }

  async #open(open: OpenStore, settings: CacheSettings): Promise<void> {
    try {
      const store = await open();
      await readIndex(store, recordPrefix(settings.buster), { index: this.#index, counts: this.#counts });
      this.#store = store;
      this.#state = "ready";
      this.#why = null;
    } catch (error) {
      this.#state = "unavailable";
      this.#why = `IndexedDB could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      this.#deps.log?.(`cache: ${this.#why}`);
    }
  }

  async #writeAll(takes: Take[]): Promise<void> {
    const settings = this.#deps.settings;
    const store = this.#store;
    if (!store || this.#state !== "ready" || settings === false) return;
    const started = this.#deps.clock.now();
    for (const take of takes) {
      const serializing = performance.now();
      const pool = take();
      // Written for the user it belongs to, and only while that user is the partition.
      if (!pool || pool.userId !== this.#partition) continue;
      const { keys, record, bytes } = poolRecordOf(pool, settings.buster, this.#deps.clock.now());
      this.#serializeMs += performance.now() - serializing;
      if (bytes > settings.maxBytes) {
        this.#deps.log?.(`cache: ${pool.type}/${pool.guildId ?? "-"} (${bytes} bytes) exceeds the budget`);
        continue;
      }
      const quota = await writeWithEviction(store, this.#index, keys, record, bytes, settings.maxBytes);
      if (quota) {
        this.#state = "failed";
        this.#why = `storage quota exceeded after eviction: the cache is off for this worker's life (${quota.message})`;
        this.#queue.clear();
        this.#deps.log?.(`cache: ${this.#why}`);
        return;
      }
      this.#counts.writes++;
    }
    this.#queue.tookMs(this.#deps.clock.now() - started);
  }

  async #remove(keys: string[]): Promise<void> {
    this.#index.delete(keys[0] ?? "");
    try {
      await this.#store?.delMany(keys);
    } catch (error) {
      this.#fault("delete", error);
    }
  }

  #fault(what: string, error: unknown): void {
    this.#counts.errors++;
    this.#deps.log?.(`cache: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

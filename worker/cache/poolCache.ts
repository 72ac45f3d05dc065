import type { Entity, PoolType } from "../../src/protocol";
import type { Cancel, CacheDiagnostics, CacheSettings, Clock } from "../../src/shared";
import { recordsIn, usageOf, type CacheIndex } from "./cacheIndex";
import { openWithin } from "./openWithin";
import { restParts } from "./restParts";
import {
  decodeRecord,
  keysOf,
  parseKey,
  recordKeys,
  type RecordKeys,
  type RecordMeta,
  type RecordOf,
  type RestoredPool,
} from "./cacheRecord";
import type { OpenStore, KeyValueStore } from "./keyValueStore";
import { recordOf, writeRecord, type PoolToWrite } from "./writeRecord";
import type { PoolView } from "../pools/poolStore";

export type { PoolToWrite } from "./writeRecord";

/**
 * A pool read from the cache: its head's entities at once; `part(i)` (1 to `parts`) gives the
 * next entities, checked, one part a macrotask (the parts are read once, at the first call). A
 * part missing or unreadable gives null, and the record is discarded.
 */
export interface CachedPool extends RestoredPool {
  part(i: number): Promise<Entity[] | null>;
}

export { OPEN_TIMEOUT_MS } from "./openWithin";

/** What the pool cache needs of the worker. */
interface PoolCacheDeps {
  open: OpenStore | null;
  settings: CacheSettings | false;
  clock: Clock;
  /** Coalescing window of writes. Default 1 s. */
  writeIntervalMs?: number;
  log?: (message: string) => void;
  /** What the cache holds or counts changed (diagnostics show it). */
  changed?: () => void;
}

/**
 * The pool cache on disk: one record per (user, type, guild), written whole and coalesced (a
 * pool that changes all the time is written about once per interval, and never on the path of
 * delivery), read back on demand, bounded by age and by a byte budget (least recently used
 * first), partitioned per user. Any storage failure leaves the worker working memory-only.
 */
export class PoolCache {
  #store: KeyValueStore | null = null;
  #state: CacheDiagnostics["status"];
  #why: string | null;
  readonly #index: CacheIndex = new Map();
  readonly #pending = new Map<string, () => PoolToWrite | null>();
  #cancelTimer: Cancel | null = null;
  #writing: Promise<void> = Promise.resolve();
  #interval: number;
  #partition: string | null = null;
  readonly #counts = { hits: 0, misses: 0, writes: 0, discarded: 0, errors: 0 };
  /** Time this thread spent making records (serialising), ms. */
  #serializeMs = 0;
  /** Time restores spent waiting for IndexedDB, and checking and parsing records, ms. */
  readonly #timing = { readMs: 0, decodeMs: 0 };
  /** Resolves once the store is open and its index read (or the cache is off). */
  readonly ready: Promise<void>;
  readonly #deps: PoolCacheDeps;

  constructor(deps: PoolCacheDeps) {
    this.#deps = deps;
    this.#interval = deps.writeIntervalMs ?? 1000;
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
      this.ready = this.#openStore(deps.open, deps.settings);
    }
  }

  get status(): CacheDiagnostics["status"] {
    return this.#state;
  }

  /** The user whose partition is read and written (null: none). Another user's pending writes go. */
  setUser(userId: string | null): void {
    if (userId === this.#partition) return;
    this.#partition = userId;
    this.#pending.clear();
  }

  get user(): string | null {
    return this.#partition;
  }

  /** The current user's copy of a pool, or null (off, missing, too old, unreadable: discarded). */
  async read(
    type: PoolType,
    guildId: string | null,
    view: RecordOf["view"] = null,
  ): Promise<CachedPool | null> {
    await this.ready;
    const userId = this.#partition;
    const settings = this.#deps.settings;
    if (!this.#store || this.#state !== "ready" || !userId || settings === false) return null;
    const keys = recordKeys(settings.buster, userId, type, guildId, view ?? null);
    const reading = performance.now();
    let raw: unknown;
    try {
      [raw] = await this.#store.getMany([keys.data]);
      this.#timing.readMs += performance.now() - reading;
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
    const decoded = decodeRecord(
      raw,
      { buster: settings.buster, userId, type, guildId, view },
      now,
      settings.maxAgeMs,
    );
    this.#timing.decodeMs += performance.now() - decoding;
    if (!decoded.ok) {
      await this.#discard(keys, `${type}/${guildId ?? "-"}`, decoded.reason);
      return null;
    }
    this.#counts.hits++;
    this.#deps.changed?.();
    const entry = this.#index.get(keys.data);
    if (entry) {
      entry.usedAt = now;
      const meta: RecordMeta = { bytes: entry.bytes, usedAt: now, parts: entry.parts };
      this.#chain(() => this.#store?.setMany([[keys.meta, meta]]));
    }
    const read = restParts(this.#store, keys, decoded.pool.parts, type, this.#timing, this.#deps.clock);
    const part = async (i: number): Promise<Entity[] | null> => {
      if (userId !== this.#partition) return null;
      const entities = await read(i);
      if (!entities) await this.#discard(keys, `${type}/${guildId ?? "-"} part ${i}`, "unreadable");
      return entities;
    };
    return { ...decoded.pool, part };
  }

  /** The pools of a guild the current user has a record of, from the index (once it is read). */
  async recordsOf(guildId: string): Promise<[PoolType, PoolView | null][]> {
    await this.ready;
    return recordsIn(this.#index, this.#partition, guildId);
  }

  /** Asks for a write of a pool; `take` is called when the write happens and gives what to write. */
  schedule(key: string, take: () => PoolToWrite | null): void {
    if (this.#state === "disabled" || this.#state === "failed" || !this.#deps.open) return;
    if (this.#partition === null) return;
    this.#pending.set(key, take);
    this.#cancelTimer ??= this.#deps.clock.setTimeout(() => {
      this.#cancelTimer = null;
      void this.flush();
    }, this.#interval);
  }

  /** Writes what is pending now (the last tab is leaving; tests). */
  flush(): Promise<void> {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    const takes = [...this.#pending.values()];
    this.#pending.clear();
    // Writes asked for before the store is open wait for it.
    if (takes.length > 0) this.#chain(() => this.ready.then(() => this.#writeAll(takes)));
    return this.#writing;
  }

  /** Deletes a user's partition from disk (logout, another user's login), pending writes first. */
  async deleteUser(userId: string): Promise<void> {
    if (userId === this.#partition) this.#pending.clear();
    await this.ready;
    this.#chain(async () => {
      if (!this.#store) return;
      const doomed = (await this.#store.keys()).filter((key) => parseKey(key)?.userId === userId);
      for (const [key, entry] of this.#index) if (entry.userId === userId) this.#index.delete(key);
      if (doomed.length > 0) await this.#store.delMany(doomed);
    });
    await this.#writing;
  }

  /** Deletes every partition (`clearCache()`). */
  async clearAll(): Promise<void> {
    this.#pending.clear();
    await this.ready;
    this.#chain(async () => {
      this.#index.clear();
      await this.#store?.clear();
    });
    await this.#writing;
  }

  diagnostics(): CacheDiagnostics {
    return {
      status: this.#state,
      reason: this.#why,
      ...usageOf(this.#index),
      ...this.#counts,
      writeMs: Math.round((this.#serializeMs + (this.#store?.busyMs ?? 0)) * 10) / 10,
      readMs: Math.round(this.#timing.readMs * 10) / 10,
      decodeMs: Math.round(this.#timing.decodeMs * 10) / 10,
    };
  }

  /** Opens the store and reads its index (see `openWithin`); failing that, the cache is off. */
  async #openStore(open: OpenStore, settings: CacheSettings): Promise<void> {
    try {
      this.#store = await openWithin(open, this.#index, settings.buster, this.#counts, this.#deps.clock);
      this.#state = "ready";
      this.#why = null;
    } catch (error) {
      this.#state = "unavailable";
      this.#why = `IndexedDB could not be opened: ${error instanceof Error ? error.message : String(error)}`;
      this.#deps.log?.(`cache: ${this.#why}`);
    }
  }

  #chain(run: () => Promise<unknown> | unknown): void {
    this.#writing = this.#writing
      .then(run)
      .then(
        () => undefined,
        (error: unknown) => this.#fault("write", error),
      )
      .then(() => this.#deps.changed?.());
  }

  async #writeAll(takes: (() => PoolToWrite | null)[]): Promise<void> {
    const settings = this.#deps.settings;
    const store = this.#store;
    if (!store || this.#state !== "ready" || settings === false) return;
    const started = this.#deps.clock.now();
    for (const take of takes) {
      const serializing = performance.now();
      const pool = take();
      // Written for the user it belongs to, and only while that user is the partition.
      if (!pool || pool.userId !== this.#partition) continue;
      const keys = recordKeys(settings.buster, pool.userId, pool.type, pool.guildId, pool.view ?? null);
      const record = recordOf(pool, settings.buster, this.#deps.clock.now());
      this.#serializeMs += performance.now() - serializing;
      // Approximate: one byte per character of the JSON (what Chromium stores for Latin-1 text).
      let bytes = record.record.data.length + 32 * record.record.missing.length + 256;
      for (const part of record.parts) bytes += part.length + 64;
      if (bytes > settings.maxBytes) {
        this.#deps.log?.(`cache: ${pool.type}/${pool.guildId ?? "-"} (${bytes} bytes) exceeds the budget`);
        continue;
      }
      const quota = await writeRecord(this.#index, store, keys, record, bytes, settings.maxBytes);
      if (quota) {
        this.#state = "failed";
        this.#why = `storage quota exceeded after eviction: the cache is off for this worker's life (${quota.message})`;
        this.#pending.clear();
        this.#deps.log?.(`cache: ${this.#why}`);
        return;
      }
      this.#counts.writes++;
    }
    // Bounded cost: the next batch waits at least 20 times what this one took (≤ 5 % of a core).
    const took = this.#deps.clock.now() - started;
    this.#interval = Math.max(this.#deps.writeIntervalMs ?? 1000, 20 * took);
  }

  /** Deletes a record that could not be used (with its parts), and says why. */
  async #discard(keys: RecordKeys, what: string, reason: string): Promise<void> {
    this.#counts.discarded++;
    this.#deps.log?.(`cache: discarded ${what} (${reason})`);
    // Its parts as the index counts them (a record too broken to count its own).
    const parts = this.#index.get(keys.data)?.parts ?? 0;
    this.#index.delete(keys.data);
    try {
      await this.#store?.delMany(keysOf(keys, parts));
    } catch (error) {
      this.#fault("delete", error);
    }
  }

  #fault(what: string, error: unknown): void {
    this.#counts.errors++;
    this.#deps.log?.(`cache: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

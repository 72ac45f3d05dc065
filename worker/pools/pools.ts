import type { LogPoolPayload, LogPresencePayload, PoolType } from "../../src/protocol";
import type { Clock, ErrorInfo } from "../../src/shared";
import { applyLogPool } from "./applyLogPool";
import { applyPresenceFrame, type GuildMembers } from "./applyPresence";
import { ByIdFetcher } from "./byIdFetcher";
import type { PoolCache } from "../cache/poolCache";
import { restorePool, scheduleWrite } from "../cache/poolPersistence";
import { loadWholePool, type WholePoolDeps } from "./loadWholePool";
import { PoolStore, poolKey, type PoolView } from "./poolStore";
import type { PresenceSupport } from "../spectate/presenceSeqs";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";
import { statusCatchUp } from "./statusCatchUp";

export { isGuildScoped } from "./guildScoped";

export interface PoolsDeps {
  requests: Requests;
  clock: Clock;
  batchWindowMs: number;
  /** The pool cache (null until the first tab said which one it wants). */
  cache: () => PoolCache | null;
  /** The last `log_pool` seq of a guild the worker has applied (null: none). */
  seqOf: (guildId: string) => number | null;
  /** A guild pool was restored from a copy at this seq. */
  seeded: (guildId: string, seq: number) => void;
  /** The guild's presence seq while its presence frames flow here, else null (Extension 2). */
  presenceAt: (guildId: string) => number | null;
  /** A copy of a guild's member statuses at this presence seq (a snapshot, or restored). */
  seededPresence: (guildId: string, seq: number) => void;
  /** Whether the gateway has presence (it is never asked for an online snapshot unless it has). */
  presenceSupport: () => PresenceSupport;
}

/**
 * Every pool the worker holds, keyed by (type, guild); whole-pool loads (one per pool, however
 * many tabs ask, see {@link loadWholePool}) and by-id fetches batched per pool within a short
 * window ({@link ByIdFetcher}).
 */
export class Pools {
  readonly #stores = new Map<string, PoolStore>();
  readonly #deps: PoolsDeps;
  readonly #byId: ByIdFetcher;
  readonly #whole: WholePoolDeps;
  /** Counts of requests sent, for diagnostics and tests. */
  readonly sent = { all: 0, byId: 0, search: 0 };
  /**
   * Presence (Extension 2) for searches: a frame applied (results follow it), or null when the
   * guild's presence starts to flow afresh (searches of it run again).
   */
  readonly presence = new Signal<{ guildId: string; frame: LogPresencePayload | null }>();

  constructor(deps: PoolsDeps) {
    this.#deps = deps;
    const { requests, clock, batchWindowMs, presenceAt, seededPresence, presenceSupport } = deps;
    this.#byId = new ByIdFetcher({ requests, clock, batchWindowMs, presenceAt, sent: this.sent });
    this.#whole = {
      requests,
      presenceAt,
      seededPresence,
      presenceSupport,
      sent: this.sent,
      membersOf: (guildId) => this.#membersOf(guildId),
    };
  }

  store(type: PoolType, guildId: string | null, view: PoolView | null = null): PoolStore {
    const key = poolKey(type, guildId, view);
    let store = this.#stores.get(key);
    if (!store) {
      this.#stores.set(key, (store = new PoolStore(type, guildId, view)));
      store.afterChange = (changed) => scheduleWrite(changed, this.#deps.cache(), this.#deps.seqOf);
    }
    return store;
  }

  /** Shows the current user's cached copy of the pool, if there is one (once per generation). */
  restore(store: PoolStore): void {
    restorePool(store, this.#deps.cache(), this.#deps.seeded, this.#deps.seededPresence);
  }

  /** The cache reads under way for a guild's pools (null when there are none). */
  restoring(guildId: string): Promise<void> | null {
    const reads: Promise<void>[] = [];
    for (const store of this.#stores.values())
      if (store.guildId === guildId && store.restoring) reads.push(store.restoring);
    return reads.length > 0 ? Promise.all(reads).then(() => undefined) : null;
  }

  /** Restores every pool a tab listens to (the partition just changed). */
  restoreAll(): void {
    for (const store of this.#stores.values()) if (store.listeners > 0) this.restore(store);
  }

  /** Brings a restored (stale) pool up to date from the gateway: whole pools whole, others by id. */
  refetch(store: PoolStore): void {
    if (!store.meta.stale) return;
    if (store.meta.complete) this.loadAll(store, true);
    else void this.#byId.refetch(store);
  }

  /** A guild's pools caught up by seq: what was restored of them is current now. */
  caughtUp(guildId: string): void {
    for (const store of this.#stores.values())
      if (store.guildId === guildId && store.meta.stale && !store.meta.loadingAll)
        store.dispatch({ type: "revalidated" });
  }

  /** Loads the whole pool unless it is held or loading (`revalidate`: held, but from the cache). */
  loadAll(store: PoolStore, revalidate = false): void {
    loadWholePool(store, revalidate, this.#whole);
  }

  /** The member pools of a guild, and how the online view fetches members it does not know. */
  #membersOf(guildId: string): GuildMembers {
    const stores: PoolStore[] = [];
    for (const store of this.#stores.values())
      if (store.ofMembers && store.guildId === guildId) stores.push(store);
    return { stores, fetchOnline: (store, ids) => this.fetchIds(store, ids) };
  }

  /** A presence frame of a guild (taken in seq order): every member pool of it follows. */
  applyPresence(frame: LogPresencePayload): void {
    applyPresenceFrame(this.#membersOf(frame.guild_id), frame);
    this.presence.emit({ guildId: frame.guild_id, frame });
  }

  /**
   * Presence frames of the guild flow from `fromSeq` on: member pools whose statuses are older,
   * or of unknown age, are fetched again (an online view streaming in is checked when it is in).
   */
  presenceFlow(guildId: string, fromSeq: number): void {
    for (const store of this.#membersOf(guildId).stores) {
      const action = statusCatchUp(store, fromSeq);
      if (action === "refetch") this.refetch(store);
      else if (action === "reload") this.loadAll(store, true);
      else if (action === "refetchIds") void this.#byId.refetch(store, false);
    }
    this.presence.emit({ guildId, frame: null });
  }

  /** Fetches the ids not held, not known missing and not already on their way, batched. */
  fetchIds(store: PoolStore, ids: readonly string[]): void {
    this.#byId.fetch(store, ids);
  }

  /** Applies a pushed pool change to the pools held (a member change to each member pool). */
  applyLogPool(event: LogPoolPayload): void {
    applyLogPool(event, (key) => this.#stores.get(key));
  }

  /**
   * Drops what is held of a guild's pools (their updates were missed); subscribers reload. A
   * restored copy stays on show while it is fetched again.
   */
  invalidateGuild(guildId: string): void {
    for (const store of this.#stores.values())
      if (store.guildId === guildId && store.meta.stale) {
        if (store.listeners > 0) this.refetch(store);
      } else if (store.guildId === guildId) {
        // What is on its way answers the old state: forget it, so the reload asks again.
        this.#byId.forget(store.key);
        store.dispatch({ type: "reset", error: null });
      }
  }

  /** Drops everything held (logout, another user): subscribers see `error` until a new login. */
  purge(error: ErrorInfo | null): void {
    this.#byId.clear();
    for (const [key, store] of this.#stores) {
      store.dispatch({ type: "reset", error });
      if (store.listeners === 0) this.#stores.delete(key);
    }
  }

  /**
   * Whether a tab views members of `guildId` (whole, by id, online, or a search: presence is
   * wanted), or with null, an online view of any guild (whether the gateway has presence matters).
   */
  viewed(guildId: string | null): boolean {
    for (const store of this.#stores.values())
      if (
        store.listeners > 0 &&
        (guildId === null ? store.view : store.ofMembers && store.guildId === guildId)
      )
        return true;
    return false;
  }

  /** Forgets pools nobody listens to (memory is bounded by what tabs use). */
  collect(): void {
    for (const [key, store] of this.#stores)
      if (store.listeners === 0 && !store.meta.loadingAll && !this.#byId.busy(key)) this.#stores.delete(key);
  }

  get size(): number {
    return this.#stores.size;
  }

  /** Cancels the by-id batches waiting for their window (the worker stops). */
  dispose(): void {
    this.#byId.dispose();
  }
}

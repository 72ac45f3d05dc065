import {
  GUILD_POOL_TYPES,
  type LogPoolPayload,
  type LogPresencePayload,
  type PoolType,
} from "../../src/protocol";
import type { Clock, ErrorInfo } from "../../src/shared";
import { applyPresenceFrame, memberUpdateFor, type GuildMembers } from "./applyPresence";
import type { PoolCache } from "../cache/poolCache";
import { restorePool, scheduleWrite } from "../cache/poolPersistence";
import { fetchIds, refetchIds, type ByIdDeps, type IdBatches, type IdsFetching } from "./fetchByIds";
import { loadWholePool, type WholePoolDeps } from "./loadWholePool";
import { PoolStore, poolKey, type PoolView } from "./poolStore";
import type { PresenceSupport } from "../spectate/presenceSeqs";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";

const GUILD_SCOPED = new Set<PoolType>(GUILD_POOL_TYPES);

export const isGuildScoped = (type: PoolType): boolean => GUILD_SCOPED.has(type);

/** What the pools need of the worker. */
interface PoolsDeps extends ByIdDeps, WholePoolDeps {
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
 * many tabs ask) and by-id fetches batched per pool within a short window.
 */
export class Pools {
  readonly #stores = new Map<string, PoolStore>();
  /** Guilds whose records were restored for a spectate (this user's; see `restoring`). */
  readonly #listed = new Set<string>();
  readonly #batches: IdBatches = new Map();
  readonly #fetching: IdsFetching = new Map();
  /** Counts of requests sent, for diagnostics and tests. */
  readonly sent = { all: 0, byId: 0, search: 0 };
  /**
   * Presence (Extension 2) for searches: a frame applied (results follow it), or null when the
   * guild's presence starts to flow afresh (searches of it run again).
   */
  readonly presence = new Signal<{ guildId: string; frame: LogPresencePayload | null }>();

  readonly #deps: PoolsDeps;

  constructor(deps: PoolsDeps) {
    this.#deps = deps;
  }

  store(type: PoolType, guildId: string | null, view: PoolView | null = null): PoolStore {
    const key = poolKey(type, guildId, view);
    let store = this.#stores.get(key);
    if (!store) {
      this.#stores.set(key, (store = new PoolStore(type, guildId, view)));
      store.afterChange = (changed) => {
        changed.updatedAt = this.#deps.clock.now();
        scheduleWrite(changed, this.#deps.cache(), this.#deps.seqOf);
      };
    }
    return store;
  }

  /** Shows the current user's cached copy of the pool, if there is one (once per generation). */
  restore(store: PoolStore): void {
    restorePool(store, this.#deps.cache(), this.#deps.seeded, this.#deps.seededPresence);
  }

  /**
   * The cache reads under way for a guild's pools (null when there are none). The first time a
   * guild is asked about (for its spectate), every record the user has of it is restored, asked
   * for by a tab or not yet: the spectate then asks for what came after them (`since`), whatever
   * the order of a tab's calls.
   */
  restoring(guildId: string): Promise<void> | null {
    const cache = this.#deps.cache();
    if (cache?.user && !this.#listed.has(guildId)) {
      this.#listed.add(guildId);
      return cache.recordsOf(guildId).then((names) => {
        for (const [type, view] of names) this.restore(this.store(type, guildId, view));
      });
    }
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
    else void refetchIds(store, this.#deps, this.sent);
  }

  /** A guild's pools caught up by seq: what was restored of them is current now. */
  caughtUp(guildId: string): void {
    for (const store of this.#stores.values())
      if (store.guildId === guildId && store.meta.stale && !store.meta.loadingAll)
        store.dispatch({ type: "revalidated" });
  }

  /** Loads the whole pool unless it is held or loading (`revalidate`: held, but from the cache). */
  loadAll(store: PoolStore, revalidate?: boolean): void {
    loadWholePool(store, this.#deps, this.sent, this.#membersOf, revalidate);
  }

  /** The member pools of a guild, and how the online view fetches members it does not know. */
  readonly #membersOf = (guildId: string): GuildMembers => {
    const stores: PoolStore[] = [];
    for (const store of this.#stores.values())
      if (store.ofMembers && store.guildId === guildId) stores.push(store);
    return { stores, fetchOnline: (store, ids) => this.fetchIds(store, ids) };
  };

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
      if (store.presenceBuffer || store.meta.loadingAll || store.listeners === 0) continue;
      const held = store.entities.size > 0 || store.meta.complete;
      if (!held || (store.presenceSeq !== null && store.presenceSeq >= fromSeq)) continue;
      if (store.meta.stale) this.refetch(store);
      else if (store.meta.complete) this.loadAll(store, true);
      else void refetchIds(store, this.#deps, this.sent, false);
    }
    this.presence.emit({ guildId, frame: null });
  }

  /** Fetches the ids not held, not known missing and not already on their way, batched. */
  fetchIds(store: PoolStore, ids: readonly string[]): void {
    fetchIds(store, this.#deps, this.sent, this.#batches, this.#fetching, ids);
  }

  /** Applies a pushed pool change to the pools held (a member change to each member pool). */
  applyLogPool(event: LogPoolPayload): void {
    for (const pushed of event.updates) {
      const guildId = isGuildScoped(pushed.type) ? event.guild_id : null;
      const views: (PoolView | null)[] = pushed.type === "member" ? [null, "online"] : [null];
      for (const view of views) {
        const store = this.#stores.get(poolKey(pushed.type, guildId, view));
        const update = store && (store.ofMembers ? memberUpdateFor(store, pushed) : pushed);
        if (!store || !update) continue;
        store.dispatch({
          type: "update",
          op: update.op,
          id: update.id,
          ...(update.entity ? { entity: update.entity } : {}),
        });
      }
    }
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
        this.#fetching.delete(store.key);
        store.dispatch({ type: "reset", error: null });
      }
  }

  /** Drops everything held (logout, another user): subscribers see `error` until a new login. */
  purge(error: ErrorInfo | null): void {
    for (const batch of this.#batches.values()) batch.cancel();
    this.#batches.clear();
    this.#fetching.clear();
    this.#listed.clear();
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
      if (
        store.listeners === 0 &&
        !store.meta.loadingAll &&
        !this.#fetching.has(key) &&
        !this.#batches.has(key)
      )
        this.#stores.delete(key);
  }

  get size(): number {
    return this.#stores.size;
  }

  /** Every pool held. */
  all(): IterableIterator<PoolStore> {
    return this.#stores.values();
  }
}

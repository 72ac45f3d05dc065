import {
  GUILD_POOL_TYPES,
  type Entity,
  type LogPoolPayload,
  type LogPresencePayload,
  type Member,
  type PoolResponsePayload,
  type PoolType,
} from "../../src/protocol";
import { GatewayError, type Cancel, type Clock, type ErrorInfo } from "../../src/shared";
import { applyPresenceFrame, applyTo, memberUpdateFor, type GuildMembers } from "./applyPresence";
import type { PoolCache } from "../cache/poolCache";
import { restorePool, scheduleWrite } from "../cache/poolPersistence";
import { PoolStore, poolKey, type PoolView } from "./poolStore";
import type { PresenceSupport } from "../spectate/presenceSeqs";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";

const MAX_IDS = 1000;
const GUILD_SCOPED = new Set<PoolType>(GUILD_POOL_TYPES);

export const isGuildScoped = (type: PoolType): boolean => GUILD_SCOPED.has(type);

/**
 * The answer to a request of `store`, checked to be about that pool (else it is a bad frame); a
 * whole-pool answer of the online view echoes its filter and carries the presence seq.
 */
function responseFor(store: PoolStore, event: string, payload: unknown, whole = false): PoolResponsePayload {
  if (event !== "pool_response") throw new Error("expected pool_response");
  const frame = payload as PoolResponsePayload;
  if (frame.type !== store.type || (frame.guild_id ?? null) !== store.guildId)
    throw new Error(`pool_response for ${frame.type}/${frame.guild_id ?? "-"} answers ${store.key}`);
  if (whole && store.view === "online" && (frame.filter !== "online" || frame.presence_seq === undefined))
    throw new Error("not an online snapshot");
  return frame;
}

/** The `type` and (for guild pools) `guild_id` of a pool request. */
const scopeOf = (store: PoolStore) => ({
  type: store.type,
  ...(store.guildId !== null ? { guild_id: store.guildId } : {}),
});

/**
 * Every pool the worker holds, keyed by (type, guild); whole-pool loads (one per pool, however
 * many tabs ask) and by-id fetches batched per pool within a short window.
 */
export class Pools {
  private readonly stores = new Map<string, PoolStore>();
  private readonly batches = new Map<string, { ids: Set<string>; cancel: Cancel }>();
  private readonly fetching = new Map<string, Set<string>>();
  /** Counts of requests sent, for diagnostics and tests. */
  readonly sent = { all: 0, byId: 0, search: 0 };
  /**
   * Presence (Extension 2) for searches: a frame applied (results follow it), or null when the
   * guild's presence starts to flow afresh (searches of it run again).
   */
  readonly presence = new Signal<{ guildId: string; frame: LogPresencePayload | null }>();

  constructor(
    private readonly deps: {
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
    },
  ) {}

  store(type: PoolType, guildId: string | null, view: PoolView | null = null): PoolStore {
    const key = poolKey(type, guildId, view);
    let store = this.stores.get(key);
    if (!store) {
      this.stores.set(key, (store = new PoolStore(type, guildId, view)));
      store.afterChange = (changed) => scheduleWrite(changed, this.deps.cache(), this.deps.seqOf);
    }
    return store;
  }

  /** Shows the current user's cached copy of the pool, if there is one (once per generation). */
  restore(store: PoolStore): void {
    restorePool(store, this.deps.cache(), this.deps.seeded, this.deps.seededPresence);
  }

  /** The cache reads under way for a guild's pools (null when there are none). */
  restoring(guildId: string): Promise<void> | null {
    const reads: Promise<void>[] = [];
    for (const store of this.stores.values())
      if (store.guildId === guildId && store.restoring) reads.push(store.restoring);
    return reads.length > 0 ? Promise.all(reads).then(() => undefined) : null;
  }

  /** Restores every pool a tab listens to (the partition just changed). */
  restoreAll(): void {
    for (const store of this.stores.values()) if (store.listeners > 0) this.restore(store);
  }

  /** Brings a restored (stale) pool up to date from the gateway: whole pools whole, others by id. */
  refetch(store: PoolStore): void {
    if (!store.meta.stale) return;
    if (store.meta.complete) this.loadAll(store, true);
    else void this.refetchIds(store);
  }

  /** A guild's pools caught up by seq: what was restored of them is current now. */
  caughtUp(guildId: string): void {
    for (const store of this.stores.values())
      if (store.guildId === guildId && store.meta.stale && !store.meta.loadingAll)
        store.dispatch({ type: "revalidated" });
  }

  /** Loads the whole pool unless it is held or loading (`revalidate`: held, but from the cache). */
  loadAll(store: PoolStore, revalidate = false): void {
    if ((store.meta.complete && !revalidate) || store.meta.loadingAll) return;
    const online = store.view === "online";
    // A gateway without presence would answer the whole pool: an online view never asks it.
    if (online && this.deps.presenceSupport() !== "supported") return;
    // Revalidating a restored copy, or reloading the online view: what the gateway no longer has
    // goes at the end, unless a pushed update touched it meanwhile.
    const before = store.meta.stale || online ? new Map(store.entities) : null;
    store.dispatch({ type: "loadAllStarted" });
    let restart = false;
    const generation = store.generation;
    this.sent.all++;
    // Presence frames during the snapshot wait; the ones above its presence seq apply on top.
    if (online) store.presenceBuffer = [];
    let snapshotSeq: number | null = null;
    /** A chunk read while its guild's presence did not flow: its statuses are of unknown age. */
    let unknownAge = false;
    const guildId = store.guildId as string;
    this.deps.requests
      .send({
        event: "pool_all_request",
        needsAuth: true,
        // An online snapshot is not sent again after a drop: the next gateway may not have
        // presence; the view asks again once it said it has.
        retry: !online,
        build: (_id, token) => ({
          _id,
          token: token ?? "",
          ...scopeOf(store),
          ...(online ? { filter: "online" as const } : {}),
        }),
        onRestart: () => {
          restart = true;
        },
        collect: (event, payload) => {
          const frame = responseFor(store, event, payload, true);
          // A reset came in between (logout, another user, a missed gap): this answer is stale.
          if (generation !== store.generation) return { done: true, value: null };
          snapshotSeq = frame.presence_seq ?? null;
          if (before) for (const entity of frame.data) before.delete((entity as Entity).id);
          const prune =
            before && frame.finished
              ? [...before].filter(([id, entity]) => store.entities.get(id) === entity).map(([id]) => id)
              : undefined;
          if (store.ofMembers && !online) {
            const at = this.deps.presenceAt(guildId);
            unknownAge ||= at === null;
            store.presenceSeq = unknownAge ? null : at;
          }
          store.dispatch({
            type: "chunk",
            data: frame.data as Entity[],
            total: frame.total ?? null,
            finished: frame.finished,
            restart,
            ...(prune ? { prune } : {}),
          });
          restart = false;
          if (frame.finished && online) this.snapshotIn(store, snapshotSeq ?? 0);
          // Presence began to flow while it streamed: its first chunks may miss frames: again.
          else if (frame.finished && unknownAge && this.deps.presenceAt(guildId) !== null)
            this.loadAll(store, true);
          return frame.finished ? { done: true, value: null } : { done: false };
        },
      })
      .catch((error: unknown) => {
        if (generation !== store.generation) return;
        if (online) store.presenceBuffer = null;
        const info = GatewayError.info(error);
        store.dispatch(
          online && info.code === "disconnected" ? { type: "interrupted" } : { type: "failed", error: info },
        );
      });
  }

  /**
   * The online view's snapshot is in, at `seq`: the frames that came meanwhile apply on top. One
   * older than the frames flowing here missed some between: loaded again. Where presence does not
   * flow, the snapshot's seq is where a spectate of its guild catches up from.
   */
  private snapshotIn(store: PoolStore, seq: number): void {
    const guildId = store.guildId as string;
    const buffered = store.presenceBuffer ?? [];
    store.presenceBuffer = null;
    store.presenceSeq = seq;
    // Settled now (it was not while frames waited): worth writing to the cache.
    store.afterChange?.(store);
    const flowing = this.deps.presenceAt(guildId);
    if (flowing === null) this.deps.seededPresence(guildId, seq);
    // Frames flow from later than the snapshot, the ones between missed: loaded again.
    else if ((buffered[0]?.seq ?? flowing + 1) > seq + 1) {
      store.presenceSeq = null;
      this.loadAll(store, true);
      return;
    }
    // Frames taken meanwhile (also while its guild's spectate was on its way) apply on top.
    const members = this.membersOf(guildId);
    for (const frame of buffered) applyTo(store, members, frame);
  }

  /** The member pools of a guild, and how the online view fetches members it does not know. */
  private membersOf(guildId: string): GuildMembers {
    const stores: PoolStore[] = [];
    for (const store of this.stores.values())
      if (store.ofMembers && store.guildId === guildId) stores.push(store);
    return { stores, fetchOnline: (store, ids) => this.fetchIds(store, ids) };
  }

  /** A presence frame of a guild (taken in seq order): every member pool of it follows. */
  applyPresence(frame: LogPresencePayload): void {
    applyPresenceFrame(this.membersOf(frame.guild_id), frame);
    this.presence.emit({ guildId: frame.guild_id, frame });
  }

  /**
   * Presence frames of the guild flow from `fromSeq` on: member pools whose statuses are older,
   * or of unknown age, are fetched again (an online view streaming in is checked when it is in).
   */
  presenceFlow(guildId: string, fromSeq: number): void {
    for (const store of this.membersOf(guildId).stores) {
      if (store.presenceBuffer || store.meta.loadingAll || store.listeners === 0) continue;
      const held = store.entities.size > 0 || store.meta.complete;
      if (!held || (store.presenceSeq !== null && store.presenceSeq >= fromSeq)) continue;
      if (store.meta.stale) this.refetch(store);
      else if (store.meta.complete) this.loadAll(store, true);
      else void this.refetchIds(store, false);
    }
    this.presence.emit({ guildId, frame: null });
  }

  /** Fetches the ids not held, not known missing and not already on their way, batched. */
  fetchIds(store: PoolStore, ids: readonly string[]): void {
    const key = store.key;
    const fetching = this.fetching.get(key);
    let batch = this.batches.get(key);
    for (const id of ids) {
      if (store.entities.has(id) || store.nonexistent.has(id) || fetching?.has(id) || batch?.ids.has(id))
        continue;
      if (!batch) {
        const ids = new Set<string>();
        batch = { ids, cancel: this.deps.clock.setTimeout(() => this.flush(store), this.deps.batchWindowMs) };
        this.batches.set(key, batch);
      }
      batch.ids.add(id);
    }
  }

  /** Applies a pushed pool change to the pools held (a member change to each member pool). */
  applyLogPool(event: LogPoolPayload): void {
    for (const pushed of event.updates) {
      const guildId = isGuildScoped(pushed.type) ? event.guild_id : null;
      const views: (PoolView | null)[] = pushed.type === "member" ? [null, "online"] : [null];
      for (const view of views) {
        const store = this.stores.get(poolKey(pushed.type, guildId, view));
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
    for (const store of this.stores.values())
      if (store.guildId === guildId && store.meta.stale) {
        if (store.listeners > 0) this.refetch(store);
      } else if (store.guildId === guildId) {
        // What is on its way answers the old state: forget it, so the reload asks again.
        this.fetching.delete(store.key);
        store.dispatch({ type: "reset", error: null });
      }
  }

  /** Drops everything held (logout, another user): subscribers see `error` until a new login. */
  purge(error: ErrorInfo | null): void {
    for (const batch of this.batches.values()) batch.cancel();
    this.batches.clear();
    this.fetching.clear();
    for (const [key, store] of this.stores) {
      store.dispatch({ type: "reset", error });
      if (store.listeners === 0) this.stores.delete(key);
    }
  }

  /**
   * Whether a tab views members of `guildId` (whole, by id, online, or a search: presence is
   * wanted), or with null, an online view of any guild (whether the gateway has presence matters).
   */
  viewed(guildId: string | null): boolean {
    for (const store of this.stores.values())
      if (
        store.listeners > 0 &&
        (guildId === null ? store.view : store.ofMembers && store.guildId === guildId)
      )
        return true;
    return false;
  }

  /** Forgets pools nobody listens to (memory is bounded by what tabs use). */
  collect(): void {
    for (const [key, store] of this.stores)
      if (
        store.listeners === 0 &&
        !store.meta.loadingAll &&
        !this.fetching.has(key) &&
        !this.batches.has(key)
      )
        this.stores.delete(key);
  }

  get size(): number {
    return this.stores.size;
  }

  private flush(store: PoolStore): void {
    const key = store.key;
    const batch = this.batches.get(key);
    this.batches.delete(key);
    if (!batch) return;
    const ids = [...batch.ids];
    const generation = store.generation;
    let fetching = this.fetching.get(key);
    if (!fetching) this.fetching.set(key, (fetching = new Set()));
    for (let i = 0; i < ids.length; i += MAX_IDS) {
      const chunk = ids.slice(i, i + MAX_IDS);
      for (const id of chunk) fetching.add(id);
      this.requestIds(store, chunk, generation)
        .catch((error: unknown) => {
          if (generation === store.generation)
            store.dispatch({ type: "failed", error: GatewayError.info(error) });
        })
        .finally(() => {
          const set = this.fetching.get(key);
          for (const id of chunk) set?.delete(id);
          if (set?.size === 0) this.fetching.delete(key);
        });
    }
  }

  /**
   * Fetches again every id of a partial pool: a restored one (fresh once every answer is in), or
   * one whose statuses are of unknown age (`revalidates` false).
   */
  private async refetchIds(store: PoolStore, revalidates = true): Promise<void> {
    if (store.refetching) return;
    store.refetching = true;
    const generation = store.generation;
    const ids = [...store.entities.keys(), ...store.nonexistent];
    try {
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += MAX_IDS) chunks.push(ids.slice(i, i + MAX_IDS));
      await Promise.all(chunks.map((chunk) => this.requestIds(store, chunk, generation)));
      if (generation !== store.generation) return;
      if (revalidates) store.dispatch({ type: "revalidated" });
    } catch (error) {
      if (generation === store.generation)
        store.dispatch({ type: "failed", error: GatewayError.info(error) });
    } finally {
      store.refetching = false;
    }
  }

  /**
   * One `pool_request` for up to MAX_IDS ids of a pool, applied (unless the pool was reset since
   * `generation`) in the answer's own task: frames right behind it (a presence change, an edit)
   * must find it in, as they would on the wire, not be overwritten a microtask later.
   */
  private requestIds(store: PoolStore, ids: string[], generation: number): Promise<void> {
    this.sent.byId++;
    return this.deps.requests.send({
      event: "pool_request",
      needsAuth: true,
      retry: true,
      build: (_id, token) => ({ _id, token: token ?? "", ...scopeOf(store), ids }),
      collect: (event, payload) => {
        const frame = responseFor(store, event, payload);
        if (generation === store.generation) this.applyIds(store, ids, frame);
        return { done: true, value: undefined };
      },
    });
  }

  /**
   * Applies a by-id answer to `ids` (see `applyIds`); member statuses in it are as current as the
   * presence frames received before it (while they flow), else of unknown age.
   */
  private applyIds(store: PoolStore, ids: readonly string[], frame: PoolResponsePayload): void {
    if (store.ofMembers && store.view !== "online")
      store.presenceSeq = this.deps.presenceAt(store.guildId as string);
    applyIds(store, ids, frame);
  }
}

/**
 * Applies a by-id answer to `ids`. Each id asked is an entity or `nonexistent`; ids the answer
 * left out (their entities failed the schema and were dropped) would wait for ever: they get a
 * `bad_frame` error instead, shown by the subscriptions that still miss them. The online view
 * keeps only members online (it fetched them for a presence change; they may have gone again).
 */
function applyIds(store: PoolStore, ids: readonly string[], frame: PoolResponsePayload): void {
  if (store.view === "online") {
    const online = (frame.data as Member[]).filter((m) => m.status !== undefined && m.status !== "offline");
    store.dispatch({ type: "entities", data: online, nonexistent: [] });
    return;
  }
  const data = frame.data as Entity[];
  store.dispatch({ type: "entities", data, nonexistent: frame.nonexistent });
  const answered = new Set(frame.nonexistent);
  for (const entity of data) answered.add(entity.id);
  const left = ids.filter((id) => !answered.has(id));
  if (left.length === 0) return;
  store.dispatch({
    type: "unanswered",
    error: {
      code: "bad_frame",
      message: `pool_response: ${left.length} id(s) without a valid entity, e.g. ${left[0]}`,
    },
  });
}

import {
  GUILD_POOL_TYPES,
  type Entity,
  type LogPoolPayload,
  type PoolResponsePayload,
  type PoolType,
} from "../src/protocol";
import { GatewayError, type Cancel, type Clock, type ErrorInfo } from "../src/shared";
import type { PoolCache } from "./cache/poolCache";
import { restorePool, scheduleWrite } from "./cache/poolPersistence";
import { PoolStore, poolKey } from "./poolStore";
import type { Requests } from "./requests";

const MAX_IDS = 1000;
const GUILD_SCOPED = new Set<PoolType>(GUILD_POOL_TYPES);

export const isGuildScoped = (type: PoolType): boolean => GUILD_SCOPED.has(type);

/** The answer to a request of `store`, checked to be about that pool (else it is a bad frame). */
function responseFor(store: PoolStore, event: string, payload: unknown): PoolResponsePayload {
  if (event !== "pool_response") throw new Error("expected pool_response");
  const frame = payload as PoolResponsePayload;
  if (frame.type !== store.type || (frame.guild_id ?? null) !== store.guildId)
    throw new Error(`pool_response for ${frame.type}/${frame.guild_id ?? "-"} answers ${store.key}`);
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

  constructor(
    private readonly deps: {
      requests: Requests;
      clock: Clock;
      batchWindowMs: number;
      /** The pool cache (null until the first tab said which one it wants). */
      cache?: () => PoolCache | null;
      /** The last `log_pool` seq of a guild the worker has applied (null: none). */
      seqOf?: (guildId: string) => number | null;
      /** A guild pool was restored from a copy at this seq. */
      seeded?: (guildId: string, seq: number) => void;
    },
  ) {}

  store(type: PoolType, guildId: string | null): PoolStore {
    const key = poolKey(type, guildId);
    let store = this.stores.get(key);
    if (!store) {
      this.stores.set(key, (store = new PoolStore(type, guildId)));
      store.afterChange = (changed) =>
        scheduleWrite(changed, this.deps.cache?.() ?? null, this.deps.seqOf ?? (() => null));
    }
    return store;
  }

  /** Shows the current user's cached copy of the pool, if there is one (once per generation). */
  restore(store: PoolStore): void {
    restorePool(store, this.deps.cache?.() ?? null, this.deps.seeded ?? (() => {}));
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
    // Revalidating a restored copy: what the gateway no longer has goes at the end, unless a
    // pushed update touched it meanwhile.
    const before = store.meta.stale ? new Map(store.entities) : null;
    store.dispatch({ type: "loadAllStarted" });
    let restart = false;
    const generation = store.generation;
    this.sent.all++;
    this.deps.requests
      .send({
        event: "pool_all_request",
        needsAuth: true,
        retry: true,
        build: (_id, token) => ({
          _id,
          token: token ?? "",
          ...scopeOf(store),
        }),
        onRestart: () => {
          restart = true;
        },
        collect: (event, payload) => {
          const frame = responseFor(store, event, payload);
          // A reset came in between (logout, another user, a missed gap): this answer is stale.
          if (generation !== store.generation) return { done: true, value: null };
          if (before) for (const entity of frame.data) before.delete((entity as Entity).id);
          const prune =
            before && frame.finished
              ? [...before].filter(([id, entity]) => store.entities.get(id) === entity).map(([id]) => id)
              : undefined;
          store.dispatch({
            type: "chunk",
            data: frame.data as Entity[],
            total: frame.total ?? null,
            finished: frame.finished,
            restart,
            ...(prune ? { prune } : {}),
          });
          restart = false;
          return frame.finished ? { done: true, value: null } : { done: false };
        },
      })
      .catch((error: unknown) => {
        if (generation === store.generation)
          store.dispatch({ type: "failed", error: GatewayError.info(error) });
      });
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

  /** Applies a pushed pool change to the pools held. */
  applyLogPool(event: LogPoolPayload): void {
    for (const update of event.updates) {
      const store = this.stores.get(poolKey(update.type, isGuildScoped(update.type) ? event.guild_id : null));
      store?.dispatch({
        type: "update",
        op: update.op,
        id: update.id,
        ...(update.entity ? { entity: update.entity } : {}),
      });
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
      this.requestIds(store, chunk)
        .then(
          (frame) => {
            if (generation === store.generation) applyIds(store, chunk, frame);
          },
          (error: unknown) => {
            if (generation === store.generation)
              store.dispatch({ type: "failed", error: GatewayError.info(error) });
          },
        )
        .finally(() => {
          const set = this.fetching.get(key);
          for (const id of chunk) set?.delete(id);
          if (set?.size === 0) this.fetching.delete(key);
        });
    }
  }

  /** Fetches again every id of a restored partial pool; fresh once every answer is in. */
  private async refetchIds(store: PoolStore): Promise<void> {
    if (store.refetching) return;
    store.refetching = true;
    const generation = store.generation;
    const ids = [...store.entities.keys(), ...store.nonexistent];
    try {
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += MAX_IDS) chunks.push(ids.slice(i, i + MAX_IDS));
      const frames = await Promise.all(chunks.map((chunk) => this.requestIds(store, chunk)));
      if (generation !== store.generation) return;
      frames.forEach((frame, i) => applyIds(store, chunks[i] ?? [], frame));
      store.dispatch({ type: "revalidated" });
    } catch (error) {
      if (generation === store.generation)
        store.dispatch({ type: "failed", error: GatewayError.info(error) });
    } finally {
      store.refetching = false;
    }
  }

  /** One `pool_request` for up to MAX_IDS ids of a pool. */
  private requestIds(store: PoolStore, ids: string[]): Promise<PoolResponsePayload> {
    this.sent.byId++;
    return this.deps.requests.send({
      event: "pool_request",
      needsAuth: true,
      retry: true,
      build: (_id, token) => ({ _id, token: token ?? "", ...scopeOf(store), ids }),
      collect: (event, payload) => ({ done: true, value: responseFor(store, event, payload) }),
    });
  }
}

/**
 * Applies a by-id answer to `ids`. Each id asked is an entity or `nonexistent`; ids the answer
 * left out (their entities failed the schema and were dropped) would wait for ever: they get a
 * `bad_frame` error instead, shown by the subscriptions that still miss them.
 */
function applyIds(store: PoolStore, ids: readonly string[], frame: PoolResponsePayload): void {
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

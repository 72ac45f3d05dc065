import { GatewayError, type Cancel, type Clock } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import { applyIds } from "./applyIds";
import { MAX_IDS, responseFor, scopeOf } from "./poolRequest";
import type { PoolStore } from "./poolStore";

export interface ByIdFetcherDeps {
  requests: Pick<Requests, "send">;
  clock: Clock;
  batchWindowMs: number;
  /** The guild's presence seq while its presence frames flow here, else null (Extension 2). */
  presenceAt: (guildId: string) => number | null;
  /** Counts the `pool_request`s sent. */
  sent: { byId: number };
}

/**
 * The by-id fetches of every pool: ids asked within a window go as one batch per pool (at most
 * MAX_IDS a request), and ids on their way are not asked again.
 */
export class ByIdFetcher {
  readonly #batches = new Map<string, { ids: Set<string>; cancel: Cancel }>();
  readonly #fetching = new Map<string, Set<string>>();
  readonly #deps: ByIdFetcherDeps;

  constructor(deps: ByIdFetcherDeps) {
    this.#deps = deps;
  }

  /** Fetches the ids not held, not known missing and not already on their way, batched. */
  fetch(store: PoolStore, ids: readonly string[]): void {
    const key = store.key;
    const fetching = this.#fetching.get(key);
    let batch = this.#batches.get(key);
    for (const id of ids) {
      if (store.entities.has(id) || store.nonexistent.has(id) || fetching?.has(id) || batch?.ids.has(id))
        continue;
      if (!batch) {
        const ids = new Set<string>();
        batch = {
          ids,
          cancel: this.#deps.clock.setTimeout(() => this.#flush(store), this.#deps.batchWindowMs),
        };
        this.#batches.set(key, batch);
      }
      batch.ids.add(id);
    }
  }

  /**
   * Fetches again every id of a partial pool: a restored one (fresh once every answer is in), or
   * one whose statuses are of unknown age (`revalidates` false).
   */
  async refetch(store: PoolStore, revalidates = true): Promise<void> {
    if (store.refetching) return;
    store.refetching = true;
    const generation = store.generation;
    const ids = [...store.entities.keys(), ...store.nonexistent];
    try {
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += MAX_IDS) chunks.push(ids.slice(i, i + MAX_IDS));
      await Promise.all(chunks.map((chunk) => this.#request(store, chunk, generation)));
      if (generation !== store.generation) return;
      if (revalidates) store.dispatch({ type: "revalidated" });
    } catch (error) {
      if (generation === store.generation)
        store.dispatch({ type: "failed", error: GatewayError.info(error) });
    } finally {
      store.refetching = false;
    }
  }

  /** Whether ids of the pool wait for their window or are on their way. */
  busy(key: string): boolean {
    return this.#fetching.has(key) || this.#batches.has(key);
  }

  /** Forgets the ids on their way for a pool (their answers concern a state that was dropped). */
  forget(key: string): void {
    this.#fetching.delete(key);
  }

  /** Cancels the batches waiting and forgets every id on its way (everything held was dropped). */
  clear(): void {
    this.dispose();
    this.#fetching.clear();
  }

  /** Cancels the batches waiting for their window (the worker stops). */
  dispose(): void {
    for (const batch of this.#batches.values()) batch.cancel();
    this.#batches.clear();
  }

  #flush(store: PoolStore): void {
    const key = store.key;
    const batch = this.#batches.get(key);
    this.#batches.delete(key);
    if (!batch) return;
    const ids = [...batch.ids];
    const generation = store.generation;
    let fetching = this.#fetching.get(key);
    if (!fetching) this.#fetching.set(key, (fetching = new Set()));
    for (let i = 0; i < ids.length; i += MAX_IDS) {
      const chunk = ids.slice(i, i + MAX_IDS);
      for (const id of chunk) fetching.add(id);
      this.#request(store, chunk, generation)
        .catch((error: unknown) => {
          if (generation === store.generation)
            store.dispatch({ type: "failed", error: GatewayError.info(error) });
        })
        .finally(() => {
          const set = this.#fetching.get(key);
          for (const id of chunk) set?.delete(id);
          if (set?.size === 0) this.#fetching.delete(key);
        });
    }
  }

  /**
   * One `pool_request` for up to MAX_IDS ids of a pool, applied (unless the pool was reset since
   * `generation`) in the answer's own task: frames right behind it (a presence change, an edit)
   * must find it in, as they would on the wire, not be overwritten a microtask later. Member
   * statuses in it are as current as the presence frames received before it (while they flow),
   * else of unknown age.
   */
  #request(store: PoolStore, ids: string[], generation: number): Promise<void> {
    this.#deps.sent.byId++;
    return this.#deps.requests.send({
      event: "pool_request",
      needsAuth: true,
      retry: true,
      build: (_id, token) => ({ _id, token: token ?? "", ...scopeOf(store), ids }),
      collect: (event, payload) => {
        const frame = responseFor(store, event, payload);
        if (generation !== store.generation) return { done: true, value: undefined };
        if (store.ofMembers && store.view !== "online")
          store.presenceSeq = this.#deps.presenceAt(store.guildId as string);
        applyIds(store, ids, frame);
        return { done: true, value: undefined };
      },
    });
  }
}

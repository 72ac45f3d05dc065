import { GatewayError, type Cancel, type Clock } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import { applyIds } from "./applyIds";
import { responseFor, scopeOf } from "./poolRequest";
import type { PoolStore } from "./poolStore";

const MAX_IDS = 1000;

/** What fetching by id needs of the pools' dependencies. */
export interface ByIdDeps {
  requests: Pick<Requests, "send">;
  clock: Pick<Clock, "setTimeout">;
  batchWindowMs: number;
  /** The guild's presence seq while its presence frames flow here, else null (Extension 2). */
  presenceAt: (guildId: string) => number | null;
}

/** Ids of a pool waiting for the batch window to close, by pool key. */
export type IdBatches = Map<string, { ids: Set<string>; cancel: Cancel }>;
/** Ids of a pool asked and not answered yet, by pool key. */
export type IdsFetching = Map<string, Set<string>>;

/** Fetches the ids not held, not known missing and not already on their way, batched. */
export function fetchIds(
  store: PoolStore,
  deps: ByIdDeps,
  sent: { byId: number },
  batches: IdBatches,
  fetching: IdsFetching,
  ids: readonly string[],
): void {
  const key = store.key;
  const asked = fetching.get(key);
  let batch = batches.get(key);
  for (const id of ids) {
    if (store.entities.has(id) || store.nonexistent.has(id) || asked?.has(id) || batch?.ids.has(id)) continue;
    if (!batch) {
      const ids = new Set<string>();
      batch = {
        ids,
        cancel: deps.clock.setTimeout(() => flush(store, deps, sent, batches, fetching), deps.batchWindowMs),
      };
      batches.set(key, batch);
    }
    batch.ids.add(id);
  }
}

function flush(
  store: PoolStore,
  deps: ByIdDeps,
  sent: { byId: number },
  batches: IdBatches,
  fetching: IdsFetching,
) {
  const key = store.key;
  const batch = batches.get(key);
  batches.delete(key);
  if (!batch) return;
  const ids = [...batch.ids];
  const generation = store.generation;
  let asked = fetching.get(key);
  if (!asked) fetching.set(key, (asked = new Set()));
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    const chunk = ids.slice(i, i + MAX_IDS);
    for (const id of chunk) asked.add(id);
    requestIds(store, deps, sent, chunk, generation)
      .catch((error: unknown) => {
        if (generation === store.generation)
          store.dispatch({ type: "failed", error: GatewayError.info(error) });
      })
      .finally(() => {
        const set = fetching.get(key);
        for (const id of chunk) set?.delete(id);
        if (set?.size === 0) fetching.delete(key);
      });
  }
}

/**
 * Fetches again every id of a partial pool: a restored one (fresh once every answer is in), or
 * one whose statuses are of unknown age (`revalidates` false).
 */
export async function refetchIds(
  store: PoolStore,
  deps: ByIdDeps,
  sent: { byId: number },
  revalidates = true,
): Promise<void> {
  if (store.refetching) return;
  store.refetching = true;
  const generation = store.generation;
  const ids = [...store.entities.keys(), ...store.nonexistent];
  try {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_IDS) chunks.push(ids.slice(i, i + MAX_IDS));
    await Promise.all(chunks.map((chunk) => requestIds(store, deps, sent, chunk, generation)));
    if (generation !== store.generation) return;
    if (revalidates) store.dispatch({ type: "revalidated" });
  } catch (error) {
    if (generation === store.generation) store.dispatch({ type: "failed", error: GatewayError.info(error) });
  } finally {
    store.refetching = false;
  }
}

/**
 * One `pool_request` for up to MAX_IDS ids of a pool, applied (unless the pool was reset since
 * `generation`) in the answer's own task: frames right behind it (a presence change, an edit)
 * must find it in, as they would on the wire, not be overwritten a microtask later. Member
 * statuses in it are as current as the presence frames received before it (while they flow),
 * else of unknown age.
 */
function requestIds(
  store: PoolStore,
  deps: ByIdDeps,
  sent: { byId: number },
  ids: string[],
  generation: number,
): Promise<void> {
  sent.byId++;
  return deps.requests.send({
    event: "pool_request",
    needsAuth: true,
    retry: true,
    build: (_id, token) => ({ _id, token: token ?? "", ...scopeOf(store), ids }),
    collect: (event, payload) => {
      const frame = responseFor(store, event, payload);
      if (generation === store.generation) {
        if (store.ofMembers && store.view !== "online")
          store.presenceSeq = deps.presenceAt(store.guildId as string);
        applyIds(store, ids, frame);
      }
      return { done: true, value: undefined };
    },
  });
}

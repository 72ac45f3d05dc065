import type { Entity } from "../src/protocol";
import type { PoolDelta } from "../src/shared";
import type { PoolChange } from "./poolReducer";
import type { PoolStore } from "./poolStore";
import type { Pools } from "./pools";
import type { Disposer } from "./signal";

/**
 * One tab's view of a pool: all of it, or some ids. Sends a full snapshot first (`reset`),
 * then only the changes that concern it, and asks the pools for what it lacks.
 */
export function subscribePool(deps: {
  pools: Pools;
  store: PoolStore;
  ids: readonly string[] | "all";
  deliver(delta: PoolDelta): void;
  authenticated(): boolean;
  /** Calls back after every elevation, so a subscription made while logged out loads then. */
  onElevated(listener: () => void): Disposer;
}): Disposer {
  const { pools, store } = deps;
  const ids = deps.ids === "all" ? null : new Set(deps.ids);
  let last: string | null = null;

  const counts = () => {
    const meta = store.meta;
    if (!ids) return { status: meta.status, loaded: meta.loaded, total: meta.total, error: meta.error };
    let held = 0;
    let missing = 0;
    for (const id of ids) {
      if (store.entities.has(id)) held++;
      else if (!store.nonexistent.has(id)) missing++;
    }
    const status = missing === 0 ? "ready" : meta.error ? "error" : "loading";
    return { status, loaded: held, total: held + missing, error: missing > 0 ? meta.error : null } as const;
  };

  const snapshot = (): PoolDelta => {
    const upsert: Entity[] = [];
    const nonexistent: string[] = [];
    if (ids) {
      for (const id of ids) {
        const entity = store.entities.get(id);
        if (entity) upsert.push(entity);
        else if (store.nonexistent.has(id)) nonexistent.push(id);
      }
    } else for (const entity of store.entities.values()) upsert.push(entity);
    const c = counts();
    last = c.status;
    return { reset: true, upsert, remove: [], nonexistent, ...c };
  };

  const need = () => {
    if (!deps.authenticated()) return;
    if (ids) pools.fetchIds(store, [...ids]);
    else pools.loadAll(store);
  };

  const onChange = (change: PoolChange) => {
    if (change.reset) {
      deps.deliver(snapshot());
      if (!change.meta.error) need();
      return;
    }
    const upsert = ids ? change.upsert.filter((e) => ids.has(e.id)) : change.upsert;
    const remove = ids ? change.remove.filter((id) => ids.has(id)) : change.remove;
    const nonexistent = ids ? change.nonexistent.filter((id) => ids.has(id)) : [];
    const c = counts();
    // Entities of other subscriptions changed and ours did not: nothing to say (unless status moved).
    if (upsert.length === 0 && remove.length === 0 && nonexistent.length === 0 && !statusMoved(c)) return;
    last = c.status;
    deps.deliver({ reset: false, upsert, remove, nonexistent, ...c });
  };

  const statusMoved = (c: ReturnType<typeof counts>) => c.status !== last || (!ids && c.status === "loading");

  const disposers = [store.listen(onChange), deps.onElevated(need)];
  deps.deliver(snapshot());
  need();
  return () => {
    for (const dispose of disposers) dispose();
  };
}

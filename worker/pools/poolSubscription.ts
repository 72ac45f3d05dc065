import type { Entity } from "../../src/protocol";
import type { PoolDelta } from "../../src/shared";
import type { PoolChange } from "./poolReducer";
import type { PoolStore } from "./poolStore";
import type { Pools } from "./pools";
import type { Disposer } from "../signal";

const UNSUPPORTED = {
  code: "unsupported" as const,
  message: "the gateway has no presence (Extension 2)",
};

/**
 * One tab's view of a pool: all of it, or some ids. Sends a full snapshot first (`reset`),
 * then only the changes that concern it, and asks the pools for what it lacks.
 */
export function subscribePool(deps: {
  pools: Pools;
  store: PoolStore;
  ids: readonly string[] | "all";
  /** Sends a change; `whole` gives the complete state instead (for a tab too slow to take every change). */
  deliver(delta: PoolDelta, whole: () => PoolDelta): void;
  authenticated(): boolean;
  /** Calls back after every elevation, so a subscription made while logged out loads then. */
  onElevated(listener: () => void): Disposer;
  /** A restored (stale) pool is to be brought up to date: caught up by seq, or fetched again. */
  revalidate(store: PoolStore): void;
  /**
   * Member pools (Extension 2): `wait` to load until the guild's presence flows (or the gateway
   * said whether it has presence), `unsupported` for an online view on a gateway without it.
   */
  presenceGate(store: PoolStore): "wait" | "unsupported" | null;
  /** Calls back when what `presenceGate` says may have changed. */
  onPresenceChange(listener: () => void): Disposer;
}): Disposer {
  const { pools, store } = deps;
  const ids = deps.ids === "all" ? null : new Set(deps.ids);
  let last: string | null = null;

  const counts = () => {
    const meta = store.meta;
    const cached = { source: meta.source, stale: meta.stale, savedAt: meta.savedAt };
    // Nothing to show and nothing on its way: say whether it waits for a login or is loading.
    const idle = () => (deps.authenticated() ? "loading" : "waiting") as "loading" | "waiting";
    if (!ids) {
      const empty = !meta.complete && store.entities.size === 0 && meta.status === "ready";
      const status = empty || (store.restoring && !meta.complete) ? idle() : meta.status;
      // A by-id answer's error concerns the subscriptions missing its ids, not the whole pool's.
      const error = status === "error" ? meta.error : null;
      return { status, loaded: meta.loaded, total: meta.total, error, ...cached };
    }
    let held = 0;
    let missing = 0;
    for (const id of ids) {
      if (store.entities.has(id)) held++;
      else if (!store.nonexistent.has(id)) missing++;
    }
    const status = missing === 0 ? "ready" : meta.error ? "error" : held === 0 ? idle() : "loading";
    return {
      status,
      loaded: held,
      total: held + missing,
      error: missing > 0 ? meta.error : null,
      ...cached,
    } as const;
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
    last = stateOf(c);
    return { reset: true, upsert, remove: [], nonexistent, ...c };
  };

  const need = () => {
    // A read of the cache under way: what it brings decides what to load (restoreDone calls back).
    if (store.restoring || !deps.authenticated()) return;
    const gate = deps.presenceGate(store);
    if (gate === "unsupported") {
      // Said, never guessed: the online view does not fall back to the whole pool.
      if (store.meta.error?.code !== "unsupported") store.dispatch({ type: "failed", error: UNSUPPORTED });
      return;
    }
    if (store.meta.stale) deps.revalidate(store);
    if (gate === "wait") return;
    if (ids) pools.fetchIds(store, [...ids]);
    else if (!store.meta.stale) pools.loadAll(store);
  };

  const onChange = (change: PoolChange) => {
    if (change.reset) {
      deps.deliver(snapshot(), snapshot);
      if (!change.meta.error) need();
      return;
    }
    const upsert = ids ? change.upsert.filter((e) => ids.has(e.id)) : change.upsert;
    const remove = ids ? change.remove.filter((id) => ids.has(id)) : change.remove;
    const nonexistent = ids ? change.nonexistent.filter((id) => ids.has(id)) : [];
    const c = counts();
    // Entities of other subscriptions changed and ours did not: nothing to say (unless status moved).
    if (upsert.length === 0 && remove.length === 0 && nonexistent.length === 0 && !statusMoved(c)) return;
    last = stateOf(c);
    deps.deliver({ reset: false, upsert, remove, nonexistent, ...c }, snapshot);
  };

  const stateOf = (c: ReturnType<typeof counts>) => `${c.status}|${c.stale}`;
  const statusMoved = (c: ReturnType<typeof counts>) =>
    stateOf(c) !== last || (!ids && c.status === "loading");

  const disposers = [store.listen(onChange), deps.onElevated(need), store.restoreDone.listen(need)];
  if (store.ofMembers) disposers.push(deps.onPresenceChange(need));
  pools.restore(store);
  deps.deliver(snapshot(), snapshot);
  need();
  return () => {
    for (const dispose of disposers) dispose();
  };
}

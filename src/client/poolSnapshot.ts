import type { PoolEntities, PoolType } from "../protocol";
import { GatewayError, type PoolDelta, type PoolStatus } from "../shared";

/** What a pool observable emits: the entities, and how far loading got. Errors are values. */
export interface PoolSnapshot<T> {
  status: PoolStatus;
  entities: T[];
  byId: ReadonlyMap<string, T>;
  /** Ids the gateway says do not exist. */
  nonexistent: string[];
  loaded: number;
  /** Expected count (streamed whole pools announce it), or null. */
  total: number | null;
  error: GatewayError | null;
}

/** Rebuilds snapshots from the worker's deltas (reset first, then changes), keeping id order. */
export function createPoolAccumulator<T extends PoolType>(order: readonly string[] | null) {
  const byId = new Map<string, PoolEntities[T]>();
  const nonexistent = new Set<string>();
  return (delta: PoolDelta): PoolSnapshot<PoolEntities[T]> => {
    if (delta.reset) {
      byId.clear();
      nonexistent.clear();
    }
    for (const entity of delta.upsert) {
      byId.set(entity.id, entity as PoolEntities[T]);
      nonexistent.delete(entity.id);
    }
    for (const id of delta.remove) byId.delete(id);
    for (const id of delta.nonexistent) nonexistent.add(id);
    const entities = order
      ? order.flatMap((id) => {
          const e = byId.get(id);
          return e ? [e] : [];
        })
      : [...byId.values()];
    return {
      status: delta.status,
      entities,
      byId: new Map(byId),
      nonexistent: [...nonexistent],
      loaded: delta.loaded,
      total: delta.total,
      error: delta.error ? GatewayError.from(delta.error) : null,
    };
  };
}

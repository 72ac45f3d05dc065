import type { PoolEntities, PoolType } from "../protocol";
import { GatewayError, type PoolDelta, type PoolSource, type PoolStatus } from "../shared";

/**
 * What `all$()` and `entities$()` emit: the entities held and how far loading got, as a new
 * object each time. Failures are values (`status: "error"`, `error`), not errors of the
 * observable; a later success (e.g. after the next login) turns the status back.
 */
export interface PoolSnapshot<T> {
  /** `loading` while entities are on their way, `ready` when all asked is in, `error` if loading failed. */
  status: PoolStatus;
  /** `all$()`: every entity held, in arrival order; `entities$()`: those held, in the order asked. */
  entities: T[];
  /** The same entities by id (made when first read). */
  readonly byId: ReadonlyMap<string, T>;
  /** Ids the gateway says do not exist. */
  nonexistent: string[];
  /** `all$()`: entities received so far; `entities$()`: ids held. */
  loaded: number;
  /** `all$()`: the pool's size once the gateway announced it, else null; `entities$()`: ids not missing. */
  total: number | null;
  /** Why loading failed (403, `timeout`, `session_expired`, `not_authenticated` after logout…), else null. */
  error: GatewayError | null;
  /** `cache`: restored from IndexedDB and not yet brought up to date; `network`: the gateway's. */
  source: PoolSource;
  /** Showing cached entities that are being brought up to date (`status` stays `ready`). */
  stale: boolean;
  /** When the cached copy was written (ms since epoch), or null for the gateway's data. */
  savedAt: number | null;
  /**
   * What changed since the previous snapshot of this subscription, for stores that keep a
   * normalized copy of their own (the Redux binding): `reset` (take `entities` whole), else the
   * entities added or replaced and the ids that left. A late subscriber of a shared observable is
   * handed the latest snapshot, whose changes are relative to the one before: take the first
   * snapshot whole.
   */
  changes: PoolChanges<T>;
}

/** See {@link PoolSnapshot.changes}. */
export interface PoolChanges<T> {
  /** Everything was replaced (the first snapshot, a reload, a login): `entities` is the state. */
  reset: boolean;
  /** Entities added or replaced, as they now are. */
  upserted: T[];
  /** Ids no longer in the snapshot. */
  removed: string[];
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
    const removed: string[] = [];
    for (const id of delta.remove) if (byId.delete(id)) removed.push(id);
    for (const id of delta.nonexistent) {
      nonexistent.add(id);
      if (byId.delete(id)) removed.push(id);
    }
    // (An entity is an object, never an array: flatMap keeps it, and drops the ids not held.)
    const entities = order ? order.flatMap((id) => byId.get(id) ?? []) : [...byId.values()];
    // Built on first read: a copy of a 50,000-entity map per snapshot is most of what a big
    // pool's snapshots cost while it streams in, and most readers only read `entities`.
    let map: Map<string, PoolEntities[T]> | undefined;
    return {
      status: delta.status,
      entities,
      get byId() {
        return (map ??= new Map(entities.map((e) => [e.id, e])));
      },
      nonexistent: [...nonexistent],
      loaded: delta.loaded,
      total: delta.total,
      error: delta.error ? GatewayError.from(delta.error) : null,
      source: delta.source,
      stale: delta.stale,
      savedAt: delta.savedAt,
      changes: {
        reset: delta.reset,
        upserted: delta.reset ? entities : (delta.upsert as PoolEntities[T][]),
        removed,
      },
    };
  };
}

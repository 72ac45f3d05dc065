import type { Entity } from "../protocol/entities";
import type { ErrorInfo } from "../shared/GatewayError";
import type { PoolSlice } from "./gatewayState";
import type { PoolPatch } from "./streamUpdate";

type Entities = Record<string, Entity>;

const has = (record: Entities, id: string) => Object.prototype.hasOwnProperty.call(record, id);

/** Sets `record[id]`, also for an id such as `__proto__` (a valid setting key). */
function put(record: Entities, id: string, entity: Entity): void {
  if (id === "__proto__")
    Object.defineProperty(record, id, {
      value: entity,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else record[id] = entity;
}

/** The entity as the store should hold it: the previous object when its content is the same. */
export function keepEqual<T>(previous: T | undefined, next: T): T {
  if (previous === undefined || previous === next) return previous ?? next;
  return JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
const sameError = (a: ErrorInfo | null, b: ErrorInfo | null) =>
  a === b || (a !== null && b !== null && a.code === b.code && a.message === b.message);

/** The entities after a reset: the previous object for each entity whose content is the same. */
function resetEntities(previous: Entities, next: Entity[]): Entities {
  const record: Entities = {};
  let same = Object.keys(previous).length === next.length;
  for (const entity of next) {
    const old = has(previous, entity.id) ? previous[entity.id] : undefined;
    const kept = keepEqual(old, entity);
    if (kept !== old) same = false;
    put(record, entity.id, kept);
  }
  return same ? previous : record;
}

/**
 * The slice after one snapshot of its subscription (pure). Entities the patch does not change,
 * or replaces by an equal one, keep their object; `ids`, `nonexistent` and `error` keep theirs
 * when equal; a patch that changes nothing returns `previous` itself.
 */
export function mergePoolSlice<T extends Entity>(previous: PoolSlice<T>, patch: PoolPatch): PoolSlice<T> {
  const before = previous.entities as Entities;
  let entities: Entities;
  let ids = previous.ids;
  if (patch.reset) {
    entities = resetEntities(before, patch.upserted);
    ids = patch.order ?? patch.upserted.map((e) => e.id);
  } else {
    let copy: Entities | null = null;
    const added: string[] = [];
    const gone = new Set<string>();
    for (const entity of patch.upserted) {
      const present = has(copy ?? before, entity.id);
      const old = present ? (copy ?? before)[entity.id] : undefined;
      const kept = keepEqual(old, entity);
      if (kept === old) continue;
      copy ??= { ...before };
      put(copy, entity.id, kept);
      if (!present) added.push(entity.id);
    }
    for (const id of patch.removed) {
      if (!has(copy ?? before, id)) continue;
      copy ??= { ...before };
      delete copy[id];
      gone.add(id);
    }
    entities = copy ?? before;
    if (patch.order) ids = patch.order;
    else if (added.length > 0 || gone.size > 0)
      ids = [...(gone.size > 0 ? previous.ids.filter((id) => !gone.has(id)) : previous.ids), ...added];
  }
  if (sameList(previous.ids, ids)) ids = previous.ids;
  const nonexistent = sameList(previous.nonexistent, patch.nonexistent)
    ? previous.nonexistent
    : patch.nonexistent;
  const error = sameError(previous.error, patch.error) ? previous.error : patch.error;
  if (
    entities === before &&
    ids === previous.ids &&
    nonexistent === previous.nonexistent &&
    error === previous.error &&
    previous.status === patch.status &&
    previous.loaded === patch.loaded &&
    previous.total === patch.total &&
    previous.stale === patch.stale &&
    previous.source === patch.source &&
    previous.savedAt === patch.savedAt
  )
    return previous;
  return {
    status: patch.status,
    ids,
    entities: entities as Record<string, T>,
    nonexistent,
    loaded: patch.loaded,
    total: patch.total,
    stale: patch.stale,
    source: patch.source,
    error,
    savedAt: patch.savedAt,
  };
}

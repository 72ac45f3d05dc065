import type { Entity, PoolType } from "../../src/protocol";
import type { Clock } from "../../src/shared";
import { decodeEntities } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

/**
 * The parts of a record after its head, as `part(i)` (1 to the record's `parts`): the list is
 * read from `key` once, at the first call; each part is checked when asked for, one a macrotask
 * (what the worker delivers meanwhile, other tabs' logs, goes in between). Null for a part that
 * is missing or unreadable, or when the store fails. Time waiting and checking adds to `timing`.
 */
export function restParts(
  store: KeyValueStore,
  key: string,
  type: PoolType,
  timing: { readMs: number; decodeMs: number },
  clock: Clock,
): (i: number) => Promise<Entity[] | null> {
  let rest: Promise<unknown> | null = null;
  return async (i) => {
    const reading = performance.now();
    rest ??= store.getMany([key]).then(([parts]) => ((timing.readMs += performance.now() - reading), parts));
    const parts = await rest.catch(() => null);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 0));
    const decoding = performance.now();
    const entities = Array.isArray(parts) ? decodeEntities(parts[i - 1], type) : null;
    timing.decodeMs += performance.now() - decoding;
    return entities;
  };
}

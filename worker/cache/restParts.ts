import type { Entity, PoolType } from "../../src/protocol";
import type { Clock } from "../../src/shared";
import { decodeEntities, partKey, type RecordKeys } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

/**
 * Parts read from IndexedDB ahead of the one asked for: enough that the next is on its way while
 * one is checked and shown, few enough that the worker's queue never holds a pile of them (a
 * log frame arriving meanwhile waits for what is queued before it).
 */
export const READ_AHEAD = 2;

/**
 * The `count` parts of a record after its head, as `part(i)` (1 to `count`), each under its own
 * key: asking for part i reads it and the next (IndexedDB hands each over in a task of its own);
 * each is checked in a macrotask of its own (what the worker delivers meanwhile, other tabs'
 * logs, goes in between), and let go once handed over. Null for a part that is missing or
 * unreadable, or when the store fails (never rejects). Time waiting and checking adds to `timing`.
 */
export function restParts(
  store: KeyValueStore,
  keys: RecordKeys,
  count: number,
  type: PoolType,
  timing: { readMs: number; decodeMs: number },
  clock: Clock,
): (i: number) => Promise<Entity[] | null> {
  const reads = new Map<number, Promise<unknown>>();
  return async (i) => {
    for (let j = Math.max(i, 1); j < i + READ_AHEAD && j <= count; j++)
      if (!reads.has(j))
        reads.set(
          j,
          store.getMany([partKey(keys, j)]).then(
            ([part]) => part,
            () => null,
          ),
        );
    const waiting = performance.now();
    const part = await reads.get(i);
    reads.delete(i);
    timing.readMs += performance.now() - waiting;
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 0));
    const decoding = performance.now();
    const entities = decodeEntities(part, type);
    timing.decodeMs += performance.now() - decoding;
    return entities;
  };
}

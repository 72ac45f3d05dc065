import type { Entity, PoolType } from "../../src/protocol";
import type { Clock } from "../../src/shared";
import { decodeEntities, partKey, type RecordKeys } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

/**
 * The `count` parts of a record after its head, as `part(i)` (1 to `count`): the first call reads
 * them all, each under its own key (IndexedDB hands each over in a task of its own); each is
 * checked when asked for, one a macrotask (what the worker delivers meanwhile, other tabs' logs,
 * goes in between). Null for a part that is missing or unreadable, or when the store fails (never
 * rejects). Time waiting (from the first read to the last part) and checking adds to `timing`.
 */
export function restParts(
  store: KeyValueStore,
  keys: RecordKeys,
  count: number,
  type: PoolType,
  timing: { readMs: number; decodeMs: number },
  clock: Clock,
): (i: number) => Promise<Entity[] | null> {
  let reads: Promise<unknown>[] | undefined;
  return async (i) => {
    if (!reads) {
      // Read together; each arrives in a task of its own. The wait counts once (start to last).
      let last = performance.now();
      reads = Array.from({ length: count }, (_, j) =>
        store.getMany([partKey(keys, j + 1)]).then(
          ([part]) => ((timing.readMs += performance.now() - last), (last = performance.now()), part),
          () => null,
        ),
      );
    }
    const part = await reads[i - 1];
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 0));
    const decoding = performance.now();
    const entities = decodeEntities(part, type);
    timing.decodeMs += performance.now() - decoding;
    return entities;
  };
}

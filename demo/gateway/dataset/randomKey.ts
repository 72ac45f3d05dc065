import type { Random } from "./random";

/** Key snapshots of big maps, so picking from a 50,000-member pool does not copy it every time. */
const snapshots = new WeakMap<ReadonlyMap<string, unknown>, readonly string[]>();
const SNAPSHOT_FROM = 64;

/**
 * A uniformly chosen key of `map`, or undefined when it is empty; draws exactly one number
 * from `rng`. Big maps are sampled from a memoised snapshot of their keys, rebuilt whenever
 * the size changed or the drawn key is gone, so the result always is a current key.
 */
export function randomKey<K extends string>(map: ReadonlyMap<K, unknown>, rng: Random): K | undefined {
  if (map.size === 0) return undefined;
  let index = rng.int(0, map.size - 1);
  if (map.size < SNAPSHOT_FROM) {
    for (const key of map.keys()) if (index-- === 0) return key;
    return undefined;
  }
  let keys = snapshots.get(map);
  let key = keys !== undefined && keys.length === map.size ? (keys[index] as K | undefined) : undefined;
  if (key === undefined || !map.has(key)) {
    keys = [...map.keys()];
    snapshots.set(map, keys);
    key = keys[index] as K | undefined;
  }
  return key;
}

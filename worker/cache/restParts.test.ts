import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/shared";
import { partKey, recordKeys } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";
import { READ_AHEAD, restParts } from "./restParts";

const keys = recordKeys("", "1", "channel", "7");
const channel = (id: string) => ({ id, name: `c${id}`, type: 0, position: 0 });
/** A clock whose timers run at once (the macrotask a part waits for is not what is tested here). */
const clock: Clock = { now: () => 0, setTimeout: (f) => (f(), () => {}) };

/** A store of `parts` (part i under its key) that records the keys read, one read at a time. */
function store(parts: Record<number, unknown>, fail = false) {
  const reads: string[] = [];
  const kv: KeyValueStore = {
    getMany: async ([key]) => {
      reads.push(key!);
      if (fail) throw new Error("disk gone");
      const i = Number(key!.split("|").at(-1));
      return [parts[i]];
    },
    setMany: async () => {},
    delMany: async () => {},
    keys: async () => [],
    clear: async () => {},
  };
  return { kv, reads };
}

describe("restParts", () => {
  it("reads the part asked for and the next, each once, under its own key, nothing beyond the count", async () => {
    const parts = Object.fromEntries([1, 2, 3, 4].map((i) => [i, JSON.stringify([channel(String(i))])]));
    const { kv, reads } = store(parts);
    const timing = { readMs: 0, decodeMs: 0 };
    const part = restParts(kv, keys, 4, "channel", timing, clock);
    expect(READ_AHEAD).toBe(2);
    expect(reads).toEqual([]);
    expect(await part(1)).toEqual([channel("1")]);
    // Bounded: the worker's queue never holds every part of a big pool at once.
    expect(reads).toEqual([partKey(keys, 1), partKey(keys, 2)]);
    expect(await part(2)).toEqual([channel("2")]);
    expect(reads).toEqual([partKey(keys, 1), partKey(keys, 2), partKey(keys, 3)]);
    expect(await part(3)).toEqual([channel("3")]);
    expect(await part(4)).toEqual([channel("4")]);
    expect(reads).toEqual([1, 2, 3, 4].map((i) => partKey(keys, i)));
    expect(await part(5)).toBeNull();
    expect(reads).toHaveLength(4);
  });

  it("each part checked when asked for, in any order", async () => {
    const { kv } = store({ 1: "[]", 2: "[]", 3: JSON.stringify([channel("3")]) });
    const part = restParts(kv, keys, 3, "channel", { readMs: 0, decodeMs: 0 }, clock);
    expect(await part(3)).toEqual([channel("3")]);
    expect(await part(1)).toEqual([]);
  });

  it("null, never a rejection, for a missing or unreadable part or a failing store", async () => {
    const { kv } = store({ 1: '[{"id":"1"}]' });
    const part = restParts(kv, keys, 2, "channel", { readMs: 0, decodeMs: 0 }, clock);
    expect(await part(1)).toBeNull();
    expect(await part(2)).toBeNull();
    const failing = store({}, true);
    const fromFailing = restParts(failing.kv, keys, 2, "channel", { readMs: 0, decodeMs: 0 }, clock);
    // The read of part 2 fails too, and is never asked for: no unhandled rejection.
    expect(await fromFailing(1)).toBeNull();
    expect(failing.reads).toEqual([partKey(keys, 1), partKey(keys, 2)]);
  });
});

import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/shared";
import { partKey, recordKeys } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";
import { restParts } from "./restParts";

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
  it("reads every part under its own key at the first call, once, and nothing beyond the count", async () => {
    const { kv, reads } = store({ 1: JSON.stringify([channel("1")]), 2: JSON.stringify([channel("2")]) });
    const timing = { readMs: 0, decodeMs: 0 };
    const part = restParts(kv, keys, 2, "channel", timing, clock);
    expect(reads).toEqual([]);
    expect(await part(1)).toEqual([channel("1")]);
    expect(reads).toEqual([partKey(keys, 1), partKey(keys, 2)]);
    expect(await part(2)).toEqual([channel("2")]);
    expect(reads).toEqual([partKey(keys, 1), partKey(keys, 2)]);
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

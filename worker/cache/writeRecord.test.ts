import type { Entity } from "../../src/protocol";
import { describe, expect, it } from "vitest";
import { usageOf, type CacheIndex } from "./cacheIndex";
import { HEAD_SIZE, PART_SIZE, keysOf, partKey, recordKeys, type PoolRecord } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";
import { recordOf, writeRecord } from "./writeRecord";

const quota = () => new DOMException("The quota has been exceeded.", "QuotaExceededError");

/** A store in a Map whose writes fail with `failures` (one a write) before they succeed. */
function memoryStore(failures: Error[] = []) {
  const data = new Map<string, unknown>();
  const store: KeyValueStore = {
    getMany: async (keys) => keys.map((k) => data.get(k)),
    setMany: async (entries) => {
      const failure = failures.shift();
      if (failure) throw failure;
      for (const [k, v] of entries) data.set(k, v);
    },
    delMany: async (keys) => void keys.forEach((k) => data.delete(k)),
    keys: async () => [...data.keys()],
    clear: async () => data.clear(),
  };
  return { store, data };
}

/** A record of guild `guildId` of user 1 saved at `savedAt`, its keys, and 300 bytes said. */
const recordIn = (guildId: string, savedAt: number) => ({
  keys: recordKeys("", "1", "channel", guildId),
  record: recordOf(
    { userId: "1", type: "channel", guildId, whole: true, seq: 3, entities: [], missing: [] },
    "",
    savedAt,
  ),
  bytes: 300,
});

/** An index already holding records of guilds a (used at 1) and b (used at 2), 100 bytes each. */
function held(disk: ReturnType<typeof memoryStore>): CacheIndex {
  const index: CacheIndex = new Map();
  for (const [guildId, usedAt] of [
    ["a", 1],
    ["b", 2],
  ] as const) {
    const keys = recordKeys("", "1", "channel", guildId);
    index.set(keys.data, { userId: "1", bytes: 100, usedAt, keys, parts: 1 });
    disk.data.set(keys.data, {}).set(keys.meta, {}).set(partKey(keys, 1), "[]");
  }
  return index;
}

describe("writeRecord", () => {
  it("writes the record and its meta, and indexes it", async () => {
    const disk = memoryStore();
    const index: CacheIndex = new Map();
    const { keys, record, bytes } = recordIn("7", 50);
    expect(await writeRecord(index, disk.store, keys, record, bytes, 10_000)).toBeNull();
    expect(disk.data.get(keys.data)).toEqual(record.record);
    expect(disk.data.get(keys.meta)).toEqual({ bytes, usedAt: 50, parts: 0 });
    expect([...disk.data.keys()]).toEqual([keys.data, keys.meta]);
    expect(index.get(keys.data)).toEqual({ userId: "1", bytes, usedAt: 50, keys, parts: 0 });
  });

  it("writes each part under its own key with the record, deleting an earlier copy's extra parts", async () => {
    const disk = memoryStore();
    const index: CacheIndex = new Map();
    const keys = recordKeys("", "1", "channel", "7");
    const write = (parts: string[]) =>
      writeRecord(index, disk.store, keys, { record: recordIn("7", 50).record.record, parts }, 300, 1e6);
    const stored = () => [...disk.data.entries()].filter(([k]) => k.startsWith("p|"));
    await write(["[1]", "[2]", "[3]"]);
    expect(stored()).toEqual([
      [partKey(keys, 1), "[1]"],
      [partKey(keys, 2), "[2]"],
      [partKey(keys, 3), "[3]"],
    ]);
    expect(disk.data.get(keys.meta)).toMatchObject({ parts: 3 });
    await write(["[4]"]);
    expect(stored()).toEqual([[partKey(keys, 1), "[4]"]]);
    expect(index.get(keys.data)?.parts).toBe(1);
    await write([]);
    expect(stored()).toEqual([]);
    expect([...disk.data.keys()]).toEqual(keysOf(keys, 0));
  });

  it("makes room within the budget first, least recently used first", async () => {
    const disk = memoryStore();
    const index = held(disk);
    const { keys, record, bytes } = recordIn("7", 50);
    await writeRecord(index, disk.store, keys, record, bytes, bytes + 100);
    const a = recordKeys("", "1", "channel", "a");
    expect(keysOf(a, 1).some((k) => disk.data.has(k))).toBe(false);
    expect(disk.data.has(recordKeys("", "1", "channel", "b").data)).toBe(true);
    expect(usageOf(index).pools).toBe(2);
  });

  it("over the quota all the same: the older half goes and the write is tried once more", async () => {
    const disk = memoryStore([quota()]);
    const index = held(disk);
    const { keys, record, bytes } = recordIn("7", 50);
    expect(await writeRecord(index, disk.store, keys, record, bytes, 10_000)).toBeNull();
    expect(disk.data.get(keys.data)).toEqual(record.record);
    expect(usageOf(index).pools).toBe(2);
  });

  it("over the quota twice: returns the quota error, nothing written nor indexed", async () => {
    const disk = memoryStore([quota(), quota()]);
    const index: CacheIndex = new Map();
    const { keys, record, bytes } = recordIn("7", 50);
    const error = await writeRecord(index, disk.store, keys, record, bytes, 10_000);
    expect(error?.name).toBe("QuotaExceededError");
    expect(disk.data.size).toBe(0);
    expect(index.get(keys.data)).toBeUndefined();
  });

  it("any other failure throws (the cache counts it as a write fault)", async () => {
    const disk = memoryStore([new Error("disk gone")]);
    const { keys, record, bytes } = recordIn("7", 50);
    await expect(writeRecord(new Map(), disk.store, keys, record, bytes, 10_000)).rejects.toThrow(
      "disk gone",
    );
  });
});

describe("recordOf", () => {
  it("makes the whole record of a pool, its entities as one JSON array", () => {
    const pool = {
      userId: "1",
      type: "member" as const,
      guildId: "7",
      whole: false,
      seq: null,
      entities: new Map([["1", { id: "1" } as Entity]]).values(),
      missing: new Set(["2", "3"]),
      view: "online" as const,
      presenceSeq: 9,
    };
    expect(recordOf(pool, "b", 123).record).toMatchObject({
      buster: "b",
      userId: "1",
      type: "member",
      guildId: "7",
      whole: false,
      seq: null,
      savedAt: 123,
      data: '[{"id":"1"}]',
      count: 1,
      parts: 0,
      missing: ["2", "3"],
      view: "online",
      presenceSeq: 9,
    } satisfies Partial<PoolRecord>);
  });

  it("keeps the first entities in the record and the rest in parts, in order", () => {
    const n = HEAD_SIZE + PART_SIZE + 7;
    const entities = Array.from({ length: n }, (_, i) => ({ id: String(i) }) as Entity);
    const { record, parts } = recordOf(
      { userId: "1", type: "member", guildId: "7", whole: true, seq: 1, entities, missing: [] },
      "",
      1,
    );
    expect(record).toMatchObject({ count: n, parts: 2 });
    const back = [record.data, ...parts].flatMap((json) => JSON.parse(json) as Entity[]);
    expect(JSON.parse(record.data)).toHaveLength(HEAD_SIZE);
    expect(back.map((e) => e.id)).toEqual(entities.map((e) => e.id));
    // Up to a part's size, all of it stays in the record (one read).
    const small = recordOf(
      {
        userId: "1",
        type: "member",
        guildId: "7",
        whole: true,
        seq: 1,
        entities: entities.slice(0, PART_SIZE),
        missing: [],
      },
      "",
      1,
    );
    expect(small.record).toMatchObject({ count: PART_SIZE, parts: 0 });
    expect(small.parts).toEqual([]);
  });
});

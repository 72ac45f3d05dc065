import { describe, expect, it } from "vitest";
import { evict, readIndex, usageOf, type CacheIndex, type IndexEntry } from "./cacheIndex";
import { recordKeys } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

const entry = (userId: string, guildId: string, bytes: number, usedAt: number): [string, IndexEntry] => {
  const keys = recordKeys("", userId, "channel", guildId);
  return [keys.data, { userId, bytes, usedAt, keys }];
};

/** A key-value store in a Map, recording what was deleted. */
function memoryStore(entries: [string, unknown][] = []) {
  const data = new Map(entries);
  const deleted: string[] = [];
  const store: KeyValueStore = {
    getMany: async (keys) => keys.map((k) => data.get(k)),
    setMany: async (e) => void e.forEach(([k, v]) => data.set(k, v)),
    delMany: async (keys) => void keys.forEach((k) => (deleted.push(k), data.delete(k))),
    keys: async () => [...data.keys()],
    clear: async () => data.clear(),
  };
  return { store, data, deleted };
}

describe("evict", () => {
  it("deletes the least recently used records until the budget holds", async () => {
    const [a, b, c] = [entry("1", "a", 100, 3), entry("1", "b", 100, 1), entry("1", "c", 100, 2)];
    const index: CacheIndex = new Map([a, b, c]);
    const { store, deleted } = memoryStore();
    await evict(index, store, 150, "none");
    const all = (k: { data: string; meta: string; rest: string }) => [k.data, k.meta, k.rest];
    expect(deleted).toEqual([...all(b[1].keys), ...all(c[1].keys)]);
    expect(usageOf(index)).toEqual({ partitions: 1, pools: 1, approxBytes: 100 });
  });

  it("never evicts the record being written, nor counts it against the budget", async () => {
    const [a, b] = [entry("1", "a", 100, 1), entry("1", "b", 100, 2)];
    const index: CacheIndex = new Map([a, b]);
    const { store, deleted } = memoryStore();
    await evict(index, store, 100, a[0]);
    expect(deleted).toEqual([]);
    await evict(index, store, 0, a[0]);
    expect(deleted).toEqual([b[1].keys.data, b[1].keys.meta, b[1].keys.rest]);
    expect(index.get(a[0])).toBeDefined();
  });

  it("counts partitions per user in the usage", () => {
    const index: CacheIndex = new Map([
      entry("1", "a", 10, 0),
      entry("1", "b", 20, 0),
      entry("2", "a", 30, 0),
    ]);
    expect(usageOf(index)).toEqual({ partitions: 2, pools: 3, approxBytes: 60 });
  });
});

describe("readIndex", () => {
  it("indexes records with data and a valid meta, and deletes the rest, counting discarded data", async () => {
    const good = recordKeys("", "1", "channel", "7");
    const noMeta = recordKeys("", "1", "channel", "8");
    const noData = recordKeys("", "1", "channel", "9");
    const olderDeploy = recordKeys("deploy-1", "1", "channel", "7");
    const { store, deleted } = memoryStore([
      [good.data, {}],
      [good.meta, { bytes: 40, usedAt: 5 }],
      [noMeta.data, {}],
      [noData.meta, { bytes: 1, usedAt: 1 }],
      [olderDeploy.data, {}],
      [olderDeploy.meta, { bytes: 1, usedAt: 1 }],
      ["something else", 1],
    ]);
    const index: CacheIndex = new Map();
    const counts = { discarded: 0 };
    await readIndex(index, store, "", counts);
    expect(usageOf(index)).toEqual({ partitions: 1, pools: 1, approxBytes: 40 });
    expect(index.get(good.data)).toEqual({ userId: "1", bytes: 40, usedAt: 5, keys: good });
    expect(new Set(deleted)).toEqual(
      new Set([noMeta.data, noData.meta, noData.data, olderDeploy.data, olderDeploy.meta, "something else"]),
    );
    // Data records gone: the one without meta, the older deploy's, and (listed with its orphan
    // meta) the data key that was never there.
    expect(counts.discarded).toBe(3);
  });

  it("deletes both keys of a record whose meta is not valid, and does not index it", async () => {
    const bad = recordKeys("", "2", "channel", "7");
    const { store, deleted } = memoryStore([
      [bad.data, {}],
      [bad.meta, { bytes: "x" }],
    ]);
    const index: CacheIndex = new Map();
    await readIndex(index, store, "", { discarded: 0 });
    expect(new Set(deleted)).toEqual(new Set([bad.data, bad.meta]));
    expect(index.size).toBe(0);
  });

  it("keeps the parts of an indexed record, deletes parts of none", async () => {
    const good = recordKeys("", "1", "member", "7");
    const gone = recordKeys("", "1", "member", "8");
    const { store, deleted } = memoryStore([
      [good.data, {}],
      [good.meta, { bytes: 40, usedAt: 5 }],
      [good.rest, ["[]"]],
      [gone.rest, ["[]"]],
    ]);
    const index: CacheIndex = new Map();
    await readIndex(index, store, "", { discarded: 0 });
    expect(index.get(good.data)?.keys).toEqual(good);
    expect(deleted).toEqual([gone.rest]);
  });

  it("deletes nothing in a store that holds only current records", async () => {
    const good = recordKeys("", "1", "channel", "7");
    const { store, deleted } = memoryStore([
      [good.data, {}],
      [good.meta, { bytes: 40, usedAt: 5 }],
      [good.rest, []],
    ]);
    const counts = { discarded: 0 };
    await readIndex(new Map(), store, "", counts);
    expect(deleted).toEqual([]);
    expect(counts.discarded).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { evict, readIndex, usageOf, type CacheIndex, type IndexEntry } from "./cacheIndex";
import { keysOf, partKey, recordKeys } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

const entry = (
  userId: string,
  guildId: string,
  bytes: number,
  usedAt: number,
  parts = 0,
): [string, IndexEntry] => {
  const keys = recordKeys("", userId, "channel", guildId);
  return [keys.data, { userId, bytes, usedAt, keys, parts }];
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
    const [a, b, c] = [entry("1", "a", 100, 3), entry("1", "b", 100, 1, 2), entry("1", "c", 100, 2)];
    const index: CacheIndex = new Map([a, b, c]);
    const { store, deleted } = memoryStore();
    await evict(index, store, 150, "none");
    // Each with its parts.
    const bKeys = b[1].keys;
    expect(deleted).toEqual([
      bKeys.data,
      bKeys.meta,
      partKey(bKeys, 1),
      partKey(bKeys, 2),
      c[1].keys.data,
      c[1].keys.meta,
    ]);
    expect(usageOf(index)).toEqual({ partitions: 1, pools: 1, approxBytes: 100 });
  });

  it("never evicts the record being written, nor counts it against the budget", async () => {
    const [a, b] = [entry("1", "a", 100, 1), entry("1", "b", 100, 2)];
    const index: CacheIndex = new Map([a, b]);
    const { store, deleted } = memoryStore();
    await evict(index, store, 100, a[0]);
    expect(deleted).toEqual([]);
    await evict(index, store, 0, a[0]);
    expect(deleted).toEqual(keysOf(b[1].keys, 0));
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
      [good.meta, { bytes: 40, usedAt: 5, parts: 0 }],
      [noMeta.data, {}],
      [noData.meta, { bytes: 1, usedAt: 1, parts: 0 }],
      [olderDeploy.data, {}],
      [olderDeploy.meta, { bytes: 1, usedAt: 1, parts: 0 }],
      ["something else", 1],
    ]);
    const index: CacheIndex = new Map();
    const counts = { discarded: 0 };
    await readIndex(index, store, "", counts);
    expect(usageOf(index)).toEqual({ partitions: 1, pools: 1, approxBytes: 40 });
    expect(index.get(good.data)).toEqual({ userId: "1", bytes: 40, usedAt: 5, keys: good, parts: 0 });
    expect(new Set(deleted)).toEqual(
      new Set([noMeta.data, noData.meta, noData.data, olderDeploy.data, olderDeploy.meta, "something else"]),
    );
    // Data records gone: the one without meta, the older deploy's, and (listed with its orphan
    // meta) the data key that was never there.
    expect(counts.discarded).toBe(3);
  });

  it("deletes both keys of a record whose meta is not valid, and does not index it", async () => {
    const bad = recordKeys("", "2", "channel", "7");
    const noParts = recordKeys("", "2", "channel", "8");
    const { store, deleted } = memoryStore([
      [bad.data, {}],
      [bad.meta, { bytes: "x", usedAt: 1, parts: 0 }],
      [noParts.data, {}],
      [noParts.meta, { bytes: 1, usedAt: 1 }],
    ]);
    const index: CacheIndex = new Map();
    await readIndex(index, store, "", { discarded: 0 });
    expect(new Set(deleted)).toEqual(new Set([bad.data, bad.meta, noParts.data, noParts.meta]));
    expect(index.size).toBe(0);
  });

  it("keeps the parts of an indexed record, deletes parts of none and parts beyond its count", async () => {
    const good = recordKeys("", "1", "member", "7");
    const gone = recordKeys("", "1", "member", "8");
    const { store, deleted } = memoryStore([
      [good.data, {}],
      [good.meta, { bytes: 40, usedAt: 5, parts: 2 }],
      [partKey(good, 1), "[]"],
      [partKey(good, 2), "[]"],
      [partKey(good, 3), "[]"],
      [partKey(gone, 1), "[]"],
      // Not a part's key: no number, or 0.
      [`${good.rest}|x`, "[]"],
      [`${good.rest}|0`, "[]"],
      [good.rest, "[]"],
    ]);
    const index: CacheIndex = new Map();
    await readIndex(index, store, "", { discarded: 0 });
    expect(index.get(good.data)).toMatchObject({ keys: good, parts: 2 });
    expect(new Set(deleted)).toEqual(
      new Set([partKey(good, 3), partKey(gone, 1), `${good.rest}|x`, `${good.rest}|0`, good.rest]),
    );
  });

  it("deletes nothing in a store that holds only current records", async () => {
    const good = recordKeys("", "1", "channel", "7");
    const { store, deleted } = memoryStore([
      [good.data, {}],
      [good.meta, { bytes: 40, usedAt: 5, parts: 1 }],
      [partKey(good, 1), "[]"],
    ]);
    const counts = { discarded: 0 };
    await readIndex(new Map(), store, "", counts);
    expect(deleted).toEqual([]);
    expect(counts.discarded).toBe(0);
  });
});

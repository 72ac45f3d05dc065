import { describe, expect, it } from "vitest";
import { CacheIndex, readIndex, type IndexEntry } from "./cacheIndex";
import { recordKeys, recordPrefix } from "./cacheRecord";
import type { KeyValueStore } from "./keyValueStore";

const entry = (userId: string, guildId: string, bytes: number, usedAt: number): [string, IndexEntry] => {
  const keys = recordKeys("", userId, "channel", guildId);
  return [keys.data, { userId, bytes, usedAt, keys }];
};

const indexOf = (...entries: [string, IndexEntry][]) => {
  const index = new CacheIndex();
  for (const [key, e] of entries) index.set(key, e);
  return index;
};

/** A key-value store in a Map, recording what was deleted. */
function memoryStore(entries: [string, unknown][]) {
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

describe("CacheIndex", () => {
  it("evicts the least recently used records until the budget holds, and says which keys to delete", () => {
    const [a, b, c] = [entry("1", "a", 100, 3), entry("1", "b", 100, 1), entry("1", "c", 100, 2)];
    const index = indexOf(a, b, c);
    const doomed = index.evict(150, "none");
    expect(doomed).toEqual([b[1].keys.data, b[1].keys.meta, c[1].keys.data, c[1].keys.meta]);
    expect(index.usage()).toEqual({ partitions: 1, pools: 1, approxBytes: 100 });
  });

  it("never evicts the record being written, nor counts it against the budget", () => {
    const [a, b] = [entry("1", "a", 100, 1), entry("1", "b", 100, 2)];
    const index = indexOf(a, b);
    expect(index.evict(100, a[0])).toEqual([]);
    expect(index.evict(0, a[0])).toEqual([b[1].keys.data, b[1].keys.meta]);
    expect(index.get(a[0])).toBeDefined();
  });

  it("counts partitions per user, and forgets one user's records only", () => {
    const index = indexOf(entry("1", "a", 10, 0), entry("1", "b", 20, 0), entry("2", "a", 30, 0));
    expect(index.usage()).toEqual({ partitions: 2, pools: 3, approxBytes: 60 });
    index.dropUser("1");
    expect(index.usage()).toEqual({ partitions: 1, pools: 1, approxBytes: 30 });
  });

  it("touch marks a record used and gives its meta to write back; unknown records give null", () => {
    const a = entry("1", "a", 10, 0);
    const index = indexOf(a);
    expect(index.touch(a[0], 50)).toEqual({ bytes: 10, usedAt: 50 });
    expect(index.get(a[0])?.usedAt).toBe(50);
    expect(index.touch("d|nothing", 50)).toBeNull();
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
    const into = { index: new CacheIndex(), counts: { discarded: 0 } };
    await readIndex(store, recordPrefix(""), into);
    expect(into.index.usage()).toEqual({ partitions: 1, pools: 1, approxBytes: 40 });
    expect(into.index.get(good.data)).toEqual({ userId: "1", bytes: 40, usedAt: 5, keys: good });
    expect(new Set(deleted)).toEqual(
      new Set([noMeta.data, noData.meta, noData.data, olderDeploy.data, olderDeploy.meta, "something else"]),
    );
    // Data records gone: the one without meta, the older deploy's, and (listed with its orphan
    // meta) the data key that was never there.
    expect(into.counts.discarded).toBe(3);
  });

  it("deletes both keys of a record whose meta is not valid, and does not index it", async () => {
    const bad = recordKeys("", "2", "channel", "7");
    const { store, deleted } = memoryStore([
      [bad.data, {}],
      [bad.meta, { bytes: "x" }],
    ]);
    const into = { index: new CacheIndex(), counts: { discarded: 0 } };
    await readIndex(store, recordPrefix(""), into);
    expect(new Set(deleted)).toEqual(new Set([bad.data, bad.meta]));
    expect(into.index.usage().pools).toBe(0);
  });

  it("deletes nothing in a store that holds only current records", async () => {
    const good = recordKeys("", "1", "channel", "7");
    const { store, deleted } = memoryStore([
      [good.data, {}],
      [good.meta, { bytes: 40, usedAt: 5 }],
    ]);
    const into = { index: new CacheIndex(), counts: { discarded: 0 } };
    await readIndex(store, recordPrefix(""), into);
    expect(deleted).toEqual([]);
    expect(into.counts.discarded).toBe(0);
  });
});

import { IDBFactory } from "fake-indexeddb";
import { beforeEach, describe, expect, it } from "vitest";
import type { Channel } from "../../src/protocol";
import type { CacheSettings } from "../../src/shared";
import { createManualClock, type ManualClock } from "../../demo/gateway/test/manualClock";
import { PART_SIZE, recordKeys } from "./cacheRecord";
import { openIndexedDbStore, type KeyValueStore, type OpenStore } from "./keyValueStore";
import { OPEN_TIMEOUT_MS, PoolCache, type PoolToWrite } from "./poolCache";

const channel = (id: string, name = `c${id}`): Channel => ({ id, name, type: 0, position: 0 });
const settings = (over: Partial<CacheSettings> = {}): CacheSettings => ({
  buster: "",
  maxAgeMs: 86_400_000,
  maxBytes: 50_000_000,
  ...over,
});
const pool = (userId: string, guildId: string, entities: Channel[], seq: number | null = 5): PoolToWrite => ({
  userId,
  type: "channel",
  guildId,
  whole: true,
  seq,
  entities,
  missing: [],
});

let clock: ManualClock;
beforeEach(() => {
  // A fresh IndexedDB per test, through the real idb-keyval adapter.
  globalThis.indexedDB = new IDBFactory();
  clock = createManualClock(1_000_000);
});

async function cacheFor(
  userId: string,
  over: Partial<CacheSettings> = {},
  open: OpenStore = openIndexedDbStore,
) {
  const cache = new PoolCache({ open, settings: settings(over), clock, writeIntervalMs: 1000 });
  await cache.ready;
  cache.setUser(userId);
  return cache;
}

/** Writes a pool now (schedule, then flush). */
async function write(cache: PoolCache, p: PoolToWrite) {
  cache.schedule(`${p.userId}|${p.guildId}`, () => p);
  await cache.flush();
}

describe("PoolCache", () => {
  it("coalesces: a pool changed 1,000 times within the window is written once, as it is at write time", async () => {
    const cache = await cacheFor("1");
    let version = 0;
    for (let i = 0; i < 1000; i++) {
      version = i;
      cache.schedule("1|7", () => pool("1", "7", [channel("1", `v${version}`)]));
    }
    clock.advance(999);
    await Promise.resolve();
    expect(cache.diagnostics().writes).toBe(0);
    clock.advance(1);
    await cache.flush();
    expect(cache.diagnostics().writes).toBe(1);
    expect((await cache.read("channel", "7"))?.entities).toEqual([channel("1", "v999")]);
  });

  it("reads back what it wrote, counts hits and misses, and keeps each user's copy apart", async () => {
    const cache = await cacheFor("1");
    await write(cache, pool("1", "7", [channel("1")], 12));
    expect(await cache.read("channel", "7")).toMatchObject({
      entities: [channel("1")],
      whole: true,
      seq: 12,
    });
    expect(await cache.read("channel", "8")).toBeNull();
    cache.setUser("2");
    expect(await cache.read("channel", "7")).toBeNull();
    // A write for a user who is no longer the partition is dropped.
    await write(cache, pool("1", "9", [channel("3")]));
    expect(cache.diagnostics()).toMatchObject({ hits: 1, misses: 2, writes: 1, partitions: 1, pools: 1 });
  });

  it("discards what another format, protocol or buster wrote, at open", async () => {
    const old = await cacheFor("1", { buster: "deploy-1" });
    await write(old, pool("1", "7", [channel("1")]));
    const next = await cacheFor("1", { buster: "deploy-2" });
    expect(next.diagnostics()).toMatchObject({ pools: 0, discarded: 1 });
    expect(await next.read("channel", "7")).toBeNull();
  });

  it("drops entries older than maxAgeMs on restore", async () => {
    const first = await cacheFor("1", { maxAgeMs: 60_000 });
    await write(first, pool("1", "7", [channel("1")]));
    clock.advance(60_001);
    const later = await cacheFor("1", { maxAgeMs: 60_000 });
    expect(await later.read("channel", "7")).toBeNull();
    expect(later.diagnostics()).toMatchObject({ discarded: 1, pools: 0 });
  });

  it("evicts the least recently used pools to stay within maxBytes", async () => {
    const big = (n: number) =>
      Array.from({ length: 40 }, (_, i) => channel(String(n * 100 + i), "x".repeat(40)));
    const one = JSON.stringify(big(1)).length + 256;
    const cache = await cacheFor("1", { maxBytes: Math.floor(one * 2.5) });
    await write(cache, pool("1", "1", big(1)));
    clock.advance(10);
    await write(cache, pool("1", "2", big(2)));
    clock.advance(10);
    expect(await cache.read("channel", "1")).not.toBeNull(); // 1 is now more recent than 2
    clock.advance(10);
    await write(cache, pool("1", "3", big(3)));
    expect(await cache.read("channel", "2")).toBeNull();
    expect(await cache.read("channel", "1")).not.toBeNull();
    expect(await cache.read("channel", "3")).not.toBeNull();
    expect(cache.diagnostics().approxBytes).toBeLessThanOrEqual(Math.floor(one * 2.5));
  });

  it("QuotaExceededError: evicts and retries once, then turns itself off for good, never throwing", async () => {
    let failures = 1;
    const flaky: OpenStore = async () => {
      const store = await openIndexedDbStore();
      return {
        ...store,
        setMany: async (entries) => {
          if (failures-- > 0) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
          await store.setMany(entries);
        },
      } satisfies KeyValueStore;
    };
    const cache = await cacheFor("1", {}, flaky);
    await write(cache, pool("1", "1", [channel("1")]));
    failures = 1;
    await write(cache, pool("1", "2", [channel("2")]));
    expect(cache.diagnostics()).toMatchObject({ status: "ready", writes: 2 });

    failures = Infinity;
    await write(cache, pool("1", "3", [channel("3")]));
    const d = cache.diagnostics();
    expect(d.status).toBe("failed");
    expect(d.reason).toMatch(/quota/);
    failures = 0;
    await write(cache, pool("1", "4", [channel("4")]));
    expect(cache.diagnostics().writes).toBe(2);
    expect(await cache.read("channel", "4")).toBeNull();
  });

  it("a corrupt stored record is discarded and counted, and its keys deleted, its parts too", async () => {
    const cache = await cacheFor("1");
    // Two parts: the index's count says which keys to delete when the record cannot say.
    const many = Array.from({ length: 2 * PART_SIZE }, (_, i) => channel(String(i + 1)));
    await write(cache, pool("1", "7", many));
    const store = await openIndexedDbStore();
    await store.setMany([[recordKeys("", "1", "channel", "7").data, { format: 1, garbage: true }]]);
    expect(await cache.read("channel", "7")).toBeNull();
    expect(cache.diagnostics()).toMatchObject({ discarded: 1, pools: 0 });
    expect(await store.keys()).toEqual([]);
  });

  it("deleteUser removes that user's partition from disk (pending writes too), and only theirs", async () => {
    const cache = await cacheFor("1");
    // User 1's record has parts (keys of their own).
    const many = Array.from({ length: PART_SIZE + 1 }, (_, i) => channel(String(i + 1)));
    await write(cache, pool("1", "7", many));
    expect((await (await openIndexedDbStore()).keys()).filter((k) => k.startsWith("p|"))).toHaveLength(1);
    cache.setUser("2");
    await write(cache, pool("2", "7", [channel("2")]));
    cache.setUser("1");
    cache.schedule("1|8", () => pool("1", "8", [channel("8")]));
    await cache.deleteUser("1");
    await cache.flush();
    const keys = await (await openIndexedDbStore()).keys();
    expect(keys.every((k) => k.includes("|2|channel|"))).toBe(true);
    // User 2's one record: its data and meta (a pool this small has no parts).
    expect(keys).toHaveLength(2);
    await cache.clearAll();
    expect(await (await openIndexedDbStore()).keys()).toEqual([]);
    expect(cache.diagnostics()).toMatchObject({ pools: 0, partitions: 0 });
  });

  it("without IndexedDB, or turned off, it says why and does nothing", async () => {
    const broken = new PoolCache({
      open: () => Promise.reject(new Error("blocked by the user's settings")),
      settings: settings(),
      clock,
    });
    await broken.ready;
    broken.setUser("1");
    broken.schedule("x", () => pool("1", "7", [channel("1")]));
    await broken.flush();
    expect(await broken.read("channel", "7")).toBeNull();
    expect(broken.diagnostics()).toMatchObject({ status: "unavailable", writes: 0 });
    expect(broken.diagnostics().reason).toContain("blocked by the user's settings");

    const off = new PoolCache({ open: openIndexedDbStore, settings: false, clock });
    expect(off.diagnostics()).toMatchObject({ status: "disabled" });
    expect(off.diagnostics().reason).toContain("cache: false");
  });

  it("an IndexedDB that never opens: off after OPEN_TIMEOUT_MS, reads and the records of a guild answer at once", async () => {
    const cache = new PoolCache({ open: () => new Promise(() => {}), settings: settings(), clock });
    cache.setUser("1");
    let listed: unknown = null;
    void cache.recordsOf("10").then((records) => (listed = records));
    await Promise.resolve();
    expect(listed).toBeNull();
    clock.advance(OPEN_TIMEOUT_MS);
    await cache.ready;
    expect(cache.diagnostics()).toMatchObject({ status: "unavailable" });
    expect(cache.diagnostics().reason).toMatch(/could not be opened: no answer within 10000 ms/);
    await expect(cache.recordsOf("10")).resolves.toEqual([]);
    await expect(cache.read("channel", "10")).resolves.toBeNull();
  });

  it("the records of a guild: the current user's, by type and view, from the index", async () => {
    const cache = await cacheFor("1");
    await write(cache, pool("1", "10", [channel("5")]));
    await write(cache, pool("2", "10", [channel("6")]));
    await write(cache, pool("1", "11", [channel("7")]));
    expect(await cache.recordsOf("10")).toEqual([["channel", null]]);
    cache.setUser("2");
    expect(await cache.recordsOf("11")).toEqual([]);
  });
});

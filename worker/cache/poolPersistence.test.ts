import { describe, expect, it, vi } from "vitest";
import type { Channel, Entity } from "../../src/protocol";
import { PoolStore } from "../pools/poolStore";
import type { CachedPool, PoolCache } from "./poolCache";
import { restorePool } from "./poolPersistence";

const channel = (id: string, name = `c${id}`): Channel => ({ id, name, type: 0, position: 0 });
const ids = (store: PoolStore) => [...store.entities.keys()];

/** A cache whose one record has `head` and `parts`; each part is handed out when `release(i)` is called. */
function fakeCache(head: Entity[], parts: (Entity[] | null)[]) {
  const waiting = new Map<number, (value: Entity[] | null) => void>();
  const pool: CachedPool = {
    entities: head,
    count: head.length + parts.reduce((n, p) => n + (p?.length ?? 0), 0),
    parts: parts.length,
    missing: [],
    whole: true,
    seq: 7,
    savedAt: 1,
    part: (i) => new Promise((resolve) => waiting.set(i, resolve)),
  };
  const cache = { user: "1", read: () => Promise.resolve(pool) } as unknown as PoolCache;
  /** Hands out part `i` and lets what follows it run. */
  const release = async (i: number) => {
    for (let n = 0; n < 10 && !waiting.has(i); n++) await Promise.resolve();
    waiting.get(i)?.(parts[i - 1] ?? null);
    for (let n = 0; n < 10; n++) await Promise.resolve();
  };
  return { cache, release };
}

async function restoring(head: Entity[], parts: (Entity[] | null)[]) {
  const store = new PoolStore("channel", "9");
  const seeded = vi.fn();
  const { cache, release } = fakeCache(head, parts);
  restorePool(store, cache, seeded, () => {});
  for (let n = 0; n < 10; n++) await Promise.resolve();
  return { store, seeded, release };
}

describe("restorePool: a record's head first, then its parts", () => {
  it("shows the head (loading), each part in order, then all of it (ready); the seq only at the end", async () => {
    const { store, seeded, release } = await restoring([channel("1")], [[channel("2")], [channel("3")]]);
    expect(ids(store)).toEqual(["1"]);
    expect(store.meta).toMatchObject({ status: "loading", source: "cache", complete: false, total: 3 });
    await release(1);
    expect(ids(store)).toEqual(["1", "2"]);
    expect(seeded).not.toHaveBeenCalled();
    await release(2);
    expect(ids(store)).toEqual(["1", "2", "3"]);
    expect(store.meta).toMatchObject({ status: "ready", complete: true, loaded: 3, stale: true });
    expect(seeded).toHaveBeenCalledWith("9", 7);
    await store.restoring;
    expect(store.restoring).toBeNull();
  });

  it("an entity already held (a by-id fetch meanwhile) is newer than the copy's: kept", async () => {
    const { store, release } = await restoring([channel("1")], [[channel("2", "cached")]]);
    store.dispatch({ type: "entities", data: [channel("2", "fresh")], nonexistent: [] });
    await release(1);
    expect((store.entities.get("2") as Channel).name).toBe("fresh");
  });

  it("a load from the gateway started meanwhile: no more parts, no seq handed on", async () => {
    const { store, seeded, release } = await restoring([channel("1")], [[channel("2")], [channel("3")]]);
    store.dispatch({ type: "loadAllStarted" });
    await release(1);
    await release(2);
    expect(ids(store)).toEqual(["1"]);
    expect(seeded).not.toHaveBeenCalled();
    expect(store.restoring).toBeNull();
  });

  it("an unreadable part: the partial copy goes (a reset) and nothing more is restored", async () => {
    const { store, seeded, release } = await restoring([channel("1")], [null, [channel("3")]]);
    const generation = store.generation;
    await release(1);
    expect(store.generation).toBe(generation + 1);
    expect(store.entities.size).toBe(0);
    expect(seeded).not.toHaveBeenCalled();
  });
});

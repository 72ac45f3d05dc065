import { describe, expect, it } from "vitest";
import type { PoolDelta, SubscriptionSpec } from "../../src/shared";
import { HEAD_SIZE, PART_SIZE, keysOf, partKey, recordKeys } from "../cache/cacheRecord";
import { openIndexedDbStore } from "../cache/keyValueStore";
import type { FakeTab } from "./fakeTab";
import { startHubHarness, type HubHarness } from "./hubHarness";
import { CACHE_HUB, CACHE_SETTINGS, cacheTestHooks } from "./workerLives";

const MEMBERS = 12_000;
let h: HubHarness;
const lives = cacheTestHooks(() => h as HubHarness | undefined);

/** Every delivery of a pool subscription, replayed from the tab's batches: status, source, entities held after it, counts. */
function deliveries(tab: FakeTab, sub: number) {
  const held = new Set<string>();
  const seen: { status: string; source: string; held: number; loaded: number; total: number | null }[] = [];
  for (const batch of tab.batches)
    for (const item of batch) {
      if (item.s !== sub || item.t !== "pool") continue;
      const d: PoolDelta = item.d;
      if (d.reset) held.clear();
      for (const e of d.upsert) held.add(e.id);
      for (const id of [...d.remove, ...d.nonexistent]) held.delete(id);
      seen.push({ status: d.status, source: d.source, held: held.size, loaded: d.loaded, total: d.total });
    }
  return seen;
}

/** First life: alice loads the big guild's member pool whole; it is written; every tab goes. */
async function onDisk() {
  h = await startHubHarness({ hub: CACHE_HUB, gateway: { bigGuildMembers: MEMBERS } });
  const guild = h.gw.guildId("Architus Hub");
  const spec: SubscriptionSpec = { kind: "pool", type: "member", guildId: guild, ids: "all" };
  const a = h.tab(CACHE_SETTINGS);
  await h.hub.login(a.id, await h.gw.token("alice"));
  const sub = a.subscribe(spec);
  await a.until(() => a.pools.get(sub)?.last?.status === "ready" && a.pool(sub).entities.size === MEMBERS);
  a.close();
  await h.hub.cache?.flush();
  const userId = String(h.gw.gateway.context.dataset.demoUsers.find((u) => u.name === "alice")!.id);
  return { guild, spec, keys: recordKeys("", userId, "member", guild) };
}

describe("hub: a big pool from the cache, head first", () => {
  it("is stored as a head and parts, shown head first (loading), then whole (ready), offline", async () => {
    const { spec, keys } = await onDisk();
    const store = await openIndexedDbStore();
    const parts = Math.ceil((MEMBERS - HEAD_SIZE) / PART_SIZE);
    const [head, ...stored] = await store.getMany(keysOf(keys, parts + 1).filter((k) => k !== keys.meta));
    expect(head).toMatchObject({ count: MEMBERS, parts });
    // Each part under its own key, and none beyond the count.
    expect(stored.slice(0, parts).every((p) => typeof p === "string")).toBe(true);
    expect(stored[parts]).toBeUndefined();

    const next = lives.next(h.gw.gateway.url);
    const b = next.tab();
    const sub = b.subscribe(spec);
    // The gateway is never reached (the login waits for it): everything shown comes from the cache.
    void next.hub.login(b.id, await h.gw.token("alice")).catch(() => {});
    await b.until(
      () => b.pools.get(sub)?.entities.size === MEMBERS && b.pools.get(sub)?.last?.status === "ready",
    );
    const cached = deliveries(b, sub).filter((s) => s.source === "cache");
    // Not ready until all of it is in: waiting (for the login, offline here; loading once in).
    expect(cached[0]).toEqual({
      status: "waiting",
      source: "cache",
      held: HEAD_SIZE,
      loaded: HEAD_SIZE,
      total: MEMBERS,
    });
    expect(cached.at(-1)).toEqual({
      status: "ready",
      source: "cache",
      held: MEMBERS,
      loaded: MEMBERS,
      total: MEMBERS,
    });
    expect(cached.length).toBeGreaterThan(2);
    // Never more than a part at a time, never fewer entities than before.
    for (let i = 1; i < cached.length; i++) {
      expect(cached[i]!.held - cached[i - 1]!.held).toBeLessThanOrEqual(PART_SIZE);
      expect(cached[i]!.held).toBeGreaterThanOrEqual(cached[i - 1]!.held);
    }
    expect(next.hub.diagnostics().cache).toMatchObject({ hits: 1, discarded: 0 });
  });

  it("a part that does not read back: the record and its parts go, and the pool loads from the gateway", async () => {
    const { spec, keys } = await onDisk();
    const store = await openIndexedDbStore();
    const [part] = await store.getMany([partKey(keys, 2)]);
    const broken = '[{"id":"1","name":"half a member"}]';
    await store.setMany([[partKey(keys, 2), broken]]);

    const next = lives.next(h.gw.gateway.url);
    next.online();
    const b = next.tab();
    const sub = b.subscribe(spec);
    await next.hub.login(b.id, await h.gw.token("alice"));
    await b.until(
      () => b.pools.get(sub)?.last?.source === "network" && b.pools.get(sub)?.last?.status === "ready",
    );
    const seen = deliveries(b, sub);
    expect(b.pool(sub).entities.size).toBe(MEMBERS);
    // The head was shown, then dropped (never shown as a whole cached pool).
    expect(seen.some((s) => s.source === "cache" && s.held === HEAD_SIZE)).toBe(true);
    expect(seen.some((s) => s.source === "cache" && s.status === "ready")).toBe(false);
    expect(next.hub.diagnostics().cache).toMatchObject({ discarded: 1 });
    // Gone from disk, unless the fresh copy was written again since (then whole, with its parts).
    const [again] = await store.getMany([partKey(keys, 2)]);
    expect(typeof part).toBe("string");
    if (again !== undefined) expect(again).not.toEqual(broken);
  });
});

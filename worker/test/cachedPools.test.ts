import { describe, expect, it } from "vitest";
import { createAuth } from "../../demo/gateway/auth";
import { gatewayHandlers } from "../../demo/gateway/gatewayHandlers";
import { signDemoToken } from "../../demo/gateway/signDemoToken";
import type { Entity } from "../../src/protocol";
import {
  TAB_PROTOCOL_VERSION,
  systemClock,
  type CacheSettings,
  type PoolDelta,
  type SessionState,
} from "../../src/shared";
import { openIndexedDbStore, type OpenStore } from "../cache/keyValueStore";
import type { FakeTab } from "./fakeTab";
import { startHubHarness, untilPoolSeq, type HubHarness } from "./hubHarness";
import { CACHE_HUB, CACHE_SETTINGS, cacheTestHooks } from "./workerLives";
import { saveHandlers } from "./patchGateway";

const SETTINGS = CACHE_SETTINGS;
const HUB = CACHE_HUB;

let h: HubHarness;
const lives = cacheTestHooks(() => h as HubHarness | undefined);

/** A second worker life over the same IndexedDB; its socket connects only when `online()` is called. */
const nextWorker = (openCacheStore: OpenStore = openIndexedDbStore) =>
  lives.next(h.gw.gateway.url, openCacheStore);

const sorted = (entities: Iterable<Entity>) =>
  JSON.stringify([...entities].map((e) => JSON.stringify(e)).sort());
const poolRequests = () => h.gw.gateway.stats().requests.pool_all_request ?? 0;

/**
 * First worker life: alice spectates `guildName`, loads a pool whole, sees `updates` pushed; then
 * every tab goes (what is pending is written). Returns the guild's id and what the tab held.
 */
async function firstLife(guildName: string, type: "autoResponse" | "guild", updates: number) {
  h = await startHubHarness({ hub: HUB });
  const guild = h.gw.guildId(guildName);
  const a = h.tab(SETTINGS);
  await h.hub.login(a.id, await h.gw.token("alice"));
  await h.hub.spectate(a.id, guild, {});
  const sub = a.subscribe({ kind: "pool", type, guildId: type === "guild" ? null : guild, ids: "all" });
  await a.until(() => a.pools.get(sub)?.last?.status === "ready");
  if (updates > 0) {
    await h.gw.gateway.activity.publish(guild, "pool_update", updates);
    await untilPoolSeq(h.hub, guild, h.gw.gateway.context.events.latest(guild));
  }
  a.close();
  await h.hub.cache?.flush();
  expect(h.hub.diagnostics().cache).toMatchObject({ status: "ready", partitions: 1 });
  return { guild, held: a.pool(sub).entities };
}

const last = (tab: FakeTab, sub: number): PoolDelta | null => tab.pools.get(sub)?.last ?? null;
const storedKeys = async () => (await (await openIndexedDbStore()).keys()).length;
/** Ready with the gateway's data (not the cached copy, and not the first "waiting" snapshot). */
const fresh = (d: PoolDelta | null) => d?.status === "ready" && d.source === "network";

/** A second worker life with alice logged in, her guild pool loaded and written to disk. */
async function aliceOnDisk() {
  await firstLife("Small Talk", "guild", 0);
  const next = nextWorker();
  next.online();
  const b = next.tab();
  await next.hub.login(b.id, await h.gw.token("alice"));
  const sub = b.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
  await b.until(() => fresh(last(b, sub)));
  await next.hub.cache?.flush();
  expect(await storedKeys()).toBeGreaterThan(0);
  return { next, b, sub };
}

describe("hub: IndexedDB pool cache", () => {
  it("a new worker shows the cached pool before the gateway answers, then catches up by seq (no reload)", async () => {
    const { guild } = await firstLife("Small Talk", "autoResponse", 4);
    // Missed while no worker ran: the next life must get these by replay, not by a reload.
    await h.gw.gateway.activity.publish(guild, "pool_update", 6);
    const loadsBefore = poolRequests();

    const next = nextWorker();
    const b = next.tab();
    const sub = b.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
    await b.until(() => last(b, sub)?.status === "waiting");
    const session = b.subscribe({ kind: "session" });
    const login = next.hub.login(b.id, await h.gw.token("alice"));
    // The gateway is unreachable: the cached copy shows anyway, marked stale.
    await b.until(() => last(b, sub)?.source === "cache");
    expect(last(b, sub)).toMatchObject({ status: "ready", stale: true });
    expect(last(b, sub)?.savedAt).toEqual(expect.any(Number));
    expect(b.latest<SessionState>(session)?.status).toBe("authenticating");

    next.online();
    await login;
    await next.hub.spectate(b.id, guild, {});
    const truth = h.gw.gateway.context.dataset.guilds.get(guild)!.pools.autoResponse;
    await b.until(
      () => fresh(last(b, sub)) && sorted(b.pool(sub).entities.values()) === sorted(truth.values()),
    );
    expect(last(b, sub)).toMatchObject({ status: "ready", source: "network", savedAt: null });
    expect(poolRequests()).toBe(loadsBefore);
    expect(next.hub.diagnostics().cache.hits).toBe(1);
  });

  it("spectate before any tab asks for the guild's cached pools: it still asks since their seq, nothing is fetched whole", async () => {
    const { guild } = await firstLife("Small Talk", "autoResponse", 4);
    await h.gw.gateway.activity.publish(guild, "pool_update", 6);
    const loadsBefore = poolRequests();
    const next = nextWorker();
    next.online();
    const b = next.tab();
    await next.hub.login(b.id, await h.gw.token("alice"));
    await next.hub.spectate(b.id, guild, {});
    // Only now a tab asks for the pool: the worker restored it for the spectate, which replayed
    // what it missed.
    const sub = b.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
    const truth = h.gw.gateway.context.dataset.guilds.get(guild)!.pools.autoResponse;
    await b.until(
      () => fresh(last(b, sub)) && sorted(b.pool(sub).entities.values()) === sorted(truth.values()),
    );
    expect(poolRequests()).toBe(loadsBefore);
    expect(next.hub.diagnostics().cache.hits).toBe(1);
  });

  it("a restore slower than the gateway: the first spectate waits for it, and still catches up by seq", async () => {
    const { guild } = await firstLife("Small Talk", "autoResponse", 3);
    await h.gw.gateway.activity.publish(guild, "pool_update", 4);
    const loadsBefore = poolRequests();
    let releaseRead!: () => void;
    const readGate = new Promise<void>((resolve) => (releaseRead = resolve));
    // A big pool: its read takes longer than the elevation and the spectate's answer.
    const slow: OpenStore = async () => {
      const store = await openIndexedDbStore();
      return { ...store, getMany: async (keys) => (await readGate, store.getMany(keys)) };
    };
    const next = nextWorker(slow);
    next.online();
    const b = next.tab();
    const sub = b.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
    await next.hub.login(b.id, await h.gw.token("alice"));
    const spectated = next.hub.spectate(b.id, guild, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.gw.gateway.stats().rooms[`guild:${guild}`]).toBeUndefined();
    releaseRead();
    await spectated;
    const truth = h.gw.gateway.context.dataset.guilds.get(guild)!.pools.autoResponse;
    await b.until(
      () => fresh(last(b, sub)) && sorted(b.pool(sub).entities.values()) === sorted(truth.values()),
    );
    expect(poolRequests()).toBe(loadsBefore);
  });

  it("a pool that cannot catch up (its guild is not spectated) is fetched again; the fresh copy replaces the cached one", async () => {
    const { guild } = await firstLife("Tiny Test", "autoResponse", 0);
    // Removals the cached copy does not know of.
    await h.gw.gateway.activity.publish(guild, "pool_update", 12);
    const loadsBefore = poolRequests();

    const next = nextWorker();
    next.online();
    const b = next.tab();
    await next.hub.login(b.id, await h.gw.token("alice"));
    await next.hub.spectate(b.id, h.gw.guildId("Small Talk"), {});
    const sub = b.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
    await b.until(() => last(b, sub)?.source === "cache");
    const truth = h.gw.gateway.context.dataset.guilds.get(guild)!.pools.autoResponse;
    await b.until(() => fresh(last(b, sub)));
    expect(sorted(b.pool(sub).entities.values())).toBe(sorted(truth.values()));
    expect(poolRequests()).toBe(loadsBefore + 1);
  });

  it("another user's login: from the call on, no entity of the previous user, and their partition is deleted", async () => {
    const { held } = await firstLife("Small Talk", "guild", 0);
    const aliceOnly = [...held.keys()];
    const next = nextWorker();
    next.online();
    const b = next.tab();
    await next.hub.login(b.id, await h.gw.token("alice"));
    const sub = b.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
    await b.until(() => fresh(last(b, sub)));
    const deliveredBefore = b.batches.length;
    const carol = await h.gw.token("carol");
    const carolGuilds = new Set(Object.keys(JSON.parse(atob(carol.split(".")[1]!)).guilds as object));
    const foreign = aliceOnly.filter((id) => !carolGuilds.has(id));
    expect(foreign.length).toBeGreaterThan(0);

    await next.hub.login(b.id, carol);
    await b.until(() => last(b, sub)?.status === "ready" && b.pool(sub).entities.size === carolGuilds.size);
    for (const batch of b.batches.slice(deliveredBefore))
      for (const item of batch)
        if (item.t === "pool") for (const e of item.d.upsert) expect(foreign).not.toContain(e.id);
    await next.hub.cache?.flush();
    const keys = await (await openIndexedDbStore()).keys();
    const alice = h.gw.userId("alice");
    expect(keys.filter((k) => k.split("|")[4] === alice)).toEqual([]);
  });

  it("logout deletes the user's partition from disk before it resolves", async () => {
    const { next, b, sub } = await aliceOnDisk();
    await next.hub.logout(b.id);
    expect(await (await openIndexedDbStore()).keys()).toEqual([]);
    await b.until(() => last(b, sub)?.status === "error");
    expect(last(b, sub)?.error).toMatchObject({ code: "not_authenticated" });
  });

  it("logout deletes the partition at once, while the gateway has not answered drop_elevation", async () => {
    const { next, b } = await aliceOnDisk();
    // A gateway that does not answer drop_elevation (the request would wait for its 15 s timeout).
    const restore = saveHandlers();
    gatewayHandlers.drop_elevation = () => {};
    try {
      let resolved = false;
      void next.hub.logout(b.id).then(() => (resolved = true));
      await expect.poll(storedKeys, { timeout: 5_000 }).toBe(0);
      expect(resolved).toBe(false);
    } finally {
      restore();
    }
  });

  it("a tab of another gateway URL ends the session: the previous user's partition goes too", async () => {
    const { next, b } = await aliceOnDisk();
    // Every tab of this gateway goes; the next one is of another gateway.
    b.close();
    next.tab("http://127.0.0.1:9");
    await expect.poll(storedKeys, { timeout: 5_000 }).toBe(0);
    expect(next.hub.session.state.status).toBe("anonymous");
  });

  it("a token the gateway refuses withdraws what the cache showed, and its partition goes", async () => {
    await firstLife("Small Talk", "guild", 0);
    const alice = h.gw.gateway.context.dataset.demoUsers.find((u) => u.name === "alice")!;
    const forged = await signDemoToken(
      createAuth("not-the-gateway-secret-0123456789abc", systemClock),
      alice,
      600,
    );
    const next = nextWorker();
    next.online();
    const b = next.tab();
    const sub = b.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
    await expect(next.hub.login(b.id, forged)).rejects.toMatchObject({ code: 401 });
    await b.until(() => last(b, sub)?.status === "error");
    expect(last(b, sub)?.error).toMatchObject({ code: 401 });
    expect(b.pool(sub).entities.size).toBe(0);
    // It did show the cached copy meanwhile (restored on the login call).
    expect(next.hub.diagnostics().cache.hits).toBe(1);
    await next.hub.cache?.flush();
    expect(await (await openIndexedDbStore()).keys()).toEqual([]);
  });

  it("what is pending is written when the last tab goes, not a window later", async () => {
    h = await startHubHarness({ hub: { ...HUB, cacheWriteIntervalMs: 60_000 } });
    const a = h.tab(SETTINGS);
    await h.hub.login(a.id, await h.gw.token("alice"));
    const sub = a.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
    await a.until(() => fresh(last(a, sub)));
    expect(h.hub.diagnostics().cache.writes).toBe(0);
    a.close();
    await h.hub.cache?.flush();
    expect(h.hub.diagnostics().cache).toMatchObject({ writes: 1, pools: 1 });
  });

  it("tabs of one worker must agree on the cache settings; bad settings are refused", async () => {
    h = await startHubHarness({ hub: HUB });
    h.tab(SETTINGS);
    const hello = (cache: unknown) =>
      h.hub.hello(
        {
          protocolVersion: 1,
          tabProtocolVersion: TAB_PROTOCOL_VERSION,
          buildId: "x",
          gatewayUrl: h.gw.gateway.url,
          lockName: null,
          tabId: `t-${Math.random()}`,
          cache: cache as CacheSettings,
          reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
          backlog: 10_000,
          batchMs: 16,
        },
        () => {},
      );
    expect(() => hello({ ...SETTINGS, buster: "other" })).toThrow(
      expect.objectContaining({ code: "config_mismatch" }),
    );
    expect(() => hello(false)).toThrow(expect.objectContaining({ code: "config_mismatch" }));
    expect(() => hello({ ...SETTINGS, maxBytes: -1 })).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
    expect(() => hello("yes")).toThrow(expect.objectContaining({ code: "bad_input" }));
    expect(h.hub.tabCount).toBe(1);
  });
});

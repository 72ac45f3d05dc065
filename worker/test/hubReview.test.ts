import { afterEach, describe, expect, it } from "vitest";
import type { SearchResult } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { createGateway } from "../../demo/gateway/createGateway";
import { TEST_SECRET } from "../../demo/gateway/test/harness";
import { FakeTab } from "./fakeTab";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

describe("hub: regressions", () => {
  it("two logins as B in a row after A still drop A's pools", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("dave"));
    const midnight = h.gw.guildId("Midnight Guild");
    const s = a.subscribe({ kind: "pool", type: "role", guildId: midnight, ids: "all" });
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    const bob = await h.gw.token("bob");
    await Promise.all([h.hub.login(a.id, bob).catch(() => null), h.hub.login(a.id, bob)]);
    await a.until(() => a.pools.get(s)?.last?.status === "error");
    expect(a.pool(s).entities.size).toBe(0);
    expect(a.pool(s).last?.error?.code).toBe(403);
  });

  it("unsubscribing and subscribing again within the batch window still loads", async () => {
    h = await startHubHarness({ hub: { batchWindowMs: 20 } });
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const hubId = h.gw.guildId("Architus Hub");
    const ids = [...h.gw.gateway.context.dataset.guilds.get(hubId)!.pools.member.keys()].slice(0, 3);
    const first = a.subscribe({ kind: "pool", type: "member", guildId: hubId, ids });
    h.hub.unsubscribe(a.id, first);
    const second = a.subscribe({ kind: "pool", type: "member", guildId: hubId, ids });
    await a.until(() => a.pools.get(second)?.last?.status === "ready");
    expect([...a.pool(second).entities.keys()]).toEqual(ids);
  });

  it("search results do not outlive the session", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const hubId = h.gw.guildId("Architus Hub");
    const s = a.subscribe({ kind: "search", guildId: hubId, query: "a", limit: 5 });
    await a.until(() => a.search(s)?.status === "ready");
    expect(a.search(s)!.entities.length).toBe(5);
    await h.hub.logout(a.id);
    await a.until(() => a.search(s)?.status === "error");
    expect(a.latest<SearchResult>(s)).toMatchObject({ entities: [], error: { code: "not_authenticated" } });
  });

  it("a refused spectate is not retried in a loop", async () => {
    h = await startHubHarness();
    const a = h.tab();
    const dave = h.gw.gateway.context.dataset.demoUsers.find((u) => u.name === "dave")!;
    await h.hub.login(a.id, await h.gw.token("dave"));
    const hubId = h.gw.guildId("Architus Hub");
    await h.hub.spectate(a.id, hubId, {});
    // Same user, a new token without that guild: the gateway drops the socket from its rooms.
    const { [hubId]: _gone, ...rest } = dave.guilds;
    await h.hub.login(
      a.id,
      await h.gw.gateway.auth.sign({ sub: dave.id, permissions: 0, guilds: rest }, 3600),
    );
    const before = h.gw.gateway.stats().requests.spectate ?? 0;
    a.subscribe({ kind: "logs", guildId: hubId });
    for (let i = 0; i < 5; i++)
      await h.hub.interpret(a.id, { guild_id: "1", message_id: String(2 * i + 2), content: "!ping" });
    expect((h.gw.gateway.stats().requests.spectate ?? 0) - before).toBe(1);
    expect(h.gw.gateway.stats().errors["403"]).toBe(1);
  });

  it("a tab's refresher that never answers does not stop another tab's", async () => {
    const clock = createManualClock(Date.now());
    h = await startHubHarness({ clock, hub: { refreshLeadMs: 30_000 } });
    const [a, b] = [h.tab(), h.tab()];
    let good = 0;
    h.hub.setRefresher(a.id, () => new Promise<string>(() => {}));
    h.hub.setRefresher(b.id, async () => {
      good++;
      return h.gw.token("bob", 600);
    });
    await h.hub.login(a.id, await h.gw.token("bob", 120));
    clock.advance(91_000);
    expect(good).toBe(0);
    clock.advance(10_000);
    await Promise.resolve();
    await Promise.resolve();
    expect(good).toBe(1);
  });

  it("log entries that arrive after a logout reach nobody", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("dave"));
    const hubId = h.gw.guildId("Architus Hub");
    await h.hub.spectate(a.id, hubId, {});
    const spec = a.subscribe({ kind: "spectating" });
    const logs = a.subscribe({ kind: "logs", guildId: hubId });
    await a.until(() => a.latest<{ includeLogs: boolean }>(spec)?.includeLogs === true);
    await h.gw.gateway.activity.publish(hubId, "message", 1);
    await a.until(() => a.logs.get(logs)?.length === 1);
    await h.hub.logout(a.id);
    const entry = h.gw.gateway.context.events.since(`${hubId}_logs`, 0)![0]!;
    h.hub.receive("log_other", entry.payload);
    await h.hub.interpret(a.id, { guild_id: "1", message_id: "2", content: "!ping" });
    expect(a.logs.get(logs)).toHaveLength(1);
    expect(h.hub.diagnostics().counters.staleFrames).toBeGreaterThanOrEqual(1);
  });

  it("a tab asking for another gateway after the last tab left does not take the session there", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    a.close();
    const other = await createGateway({ secret: TEST_SECRET, bigGuildMembers: 100, warn: () => {} });
    try {
      const b = new FakeTab(h.hub, other.url);
      const s = b.subscribe({ kind: "connection" });
      await b.until(() => b.latest<{ status: string }>(s)?.status === "connected");
      await h.hub.interpret(b.id, { guild_id: "1", message_id: "2", content: "!ping" });
      expect(h.hub.session.state.status).toBe("anonymous");
      expect(other.stats().requests.request_elevation ?? 0).toBe(0);
      b.close();
    } finally {
      await other.stop();
    }
  });

  it("pools loaded before the guild was first spectated are reloaded when it is", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("alice"));
    const small = h.gw.guildId("Small Talk");
    const s = a.subscribe({ kind: "pool", type: "autoResponse", guildId: small, ids: "all" });
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    await h.gw.gateway.activity.publish(small, "pool_update", 30);
    await h.hub.spectate(a.id, small, {});
    const dataset = h.gw.gateway.context.dataset.guilds.get(small)!.pools.autoResponse;
    const sorted = (m: Map<string, unknown>) => JSON.stringify([...m].sort(([x], [y]) => x.localeCompare(y)));
    await a.until(
      () => a.pools.get(s)?.last?.status === "ready" && sorted(a.pool(s).entities) === sorted(dataset),
    );
  });
});

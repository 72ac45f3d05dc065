import { afterEach, describe, expect, it } from "vitest";
import type { LogPoolPayload } from "../../src/protocol";
import type { SearchResult } from "../../src/shared";
import { withStatus } from "../../demo/gateway/dataset/guildPresence";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

describe("hub: pools", () => {
  it("five tabs asking the same whole pool at once make one request; all get the dataset", async () => {
    h = await startHubHarness({ gateway: { bigGuildMembers: 5000 } });
    const tabs = Array.from({ length: 5 }, () => h.tab());
    await h.hub.login(tabs[0]!.id, await h.gw.token("bob"));
    const hub = h.gw.guildId("Architus Hub");
    const subs = tabs.map((t) => t.subscribe({ kind: "pool", type: "member", guildId: hub, ids: "all" }));
    await Promise.all(tabs.map((t, i) => t.until(() => t.pools.get(subs[i]!)?.last?.status === "ready")));
    const record = h.gw.gateway.context.dataset.guilds.get(hub)!;
    // Members with their presence (the gateway has Extension 2).
    const dataset = [...record.pools.member.values()].map((m) => withStatus(m, record.presence));
    for (const [i, t] of tabs.entries()) {
      const p = t.pool(subs[i]!);
      expect(p.entities.size).toBe(5000);
      expect(p.last).toMatchObject({ loaded: 5000, total: 5000 });
      expect([...p.entities.values()]).toEqual(dataset);
    }
    expect(h.gw.gateway.stats().requests.pool_all_request).toBe(1);
    // A sixth subscriber later is served from the worker, no request at all.
    const late = h.tab();
    const s = late.subscribe({ kind: "pool", type: "member", guildId: hub, ids: "all" });
    await late.until(() => late.pools.get(s)?.last?.status === "ready");
    expect(late.pool(s).entities.size).toBe(5000);
    expect(h.gw.gateway.stats().requests.pool_all_request).toBe(1);
  });

  it("by-id requests of several tabs in one window become one pool_request; nonexistent ids reported", async () => {
    h = await startHubHarness({ hub: { batchWindowMs: 20 } });
    const [a, b, c] = [h.tab(), h.tab(), h.tab()];
    await h.hub.login(a.id, await h.gw.token("bob"));
    const hubId = h.gw.guildId("Architus Hub");
    const record = h.gw.gateway.context.dataset.guilds.get(hubId)!;
    const members = [...record.pools.member.values()].map((m) => withStatus(m, record.presence));
    const sa = a.subscribe({
      kind: "pool",
      type: "member",
      guildId: hubId,
      ids: [members[0]!.id, members[1]!.id],
    });
    const sb = b.subscribe({
      kind: "pool",
      type: "member",
      guildId: hubId,
      ids: [members[1]!.id, members[2]!.id],
    });
    const sc = c.subscribe({ kind: "pool", type: "member", guildId: hubId, ids: [members[3]!.id, "12345"] });
    await Promise.all([
      a.until(() => a.pools.get(sa)?.last?.status === "ready"),
      b.until(() => b.pools.get(sb)?.last?.status === "ready"),
      c.until(() => c.pools.get(sc)?.last?.status === "ready"),
    ]);
    expect(h.gw.gateway.stats().requests.pool_request).toBe(1);
    expect([...a.pool(sa).entities.keys()]).toEqual([members[0]!.id, members[1]!.id]);
    expect([...b.pool(sb).entities.values()]).toEqual([members[1], members[2]]);
    expect(c.pool(sc).last?.nonexistent).toEqual(["12345"]);
    expect(c.pool(sc).last).toMatchObject({ loaded: 1, total: 1 });
    // Held ids are served without asking again.
    const again = a.subscribe({
      kind: "pool",
      type: "member",
      guildId: hubId,
      ids: [members[2]!.id, "12345"],
    });
    await a.until(() => a.pools.get(again)?.last?.status === "ready");
    expect(h.gw.gateway.stats().requests.pool_request).toBe(1);
  });

  it("an id whose entity the gateway sends malformed ends in a bad_frame error, not loading for ever", async () => {
    h = await startHubHarness({ hub: { batchWindowMs: 20 } });
    const [a, b] = [h.tab(), h.tab()];
    await h.hub.login(a.id, await h.gw.token("bob"));
    const hubId = h.gw.guildId("Architus Hub");
    const pool = h.gw.gateway.context.dataset.guilds.get(hubId)!.pools.member;
    const [bad, good, other] = [...pool.values()];
    pool.set(bad!.id, { ...bad!, joined_at: 1_600_000_000 as unknown as string });
    const sa = a.subscribe({ kind: "pool", type: "member", guildId: hubId, ids: [bad!.id, good!.id] });
    const sb = b.subscribe({ kind: "pool", type: "member", guildId: hubId, ids: [other!.id] });
    await a.until(() => a.pools.get(sa)?.last?.status === "error");
    expect(a.pool(sa).last).toMatchObject({ loaded: 1, total: 2, error: { code: "bad_frame" } });
    expect([...a.pool(sa).entities.keys()]).toEqual([good!.id]);
    // The other subscription of the same pool, in the same request, is not affected.
    await b.until(() => b.pools.get(sb)?.last?.status === "ready");
    expect(b.pool(sb).last?.error).toBeNull();
    expect(h.hub.diagnostics().counters.badEntities).toBe(1);
  });

  it("pushed updates reach every subscribed tab; entities$ sees only its ids", async () => {
    h = await startHubHarness();
    const [a, b] = [h.tab(), h.tab()];
    await h.hub.login(a.id, await h.gw.token("alice"));
    const small = h.gw.guildId("Small Talk");
    await h.hub.spectate(a.id, small, {});
    const sa = a.subscribe({ kind: "pool", type: "autoResponse", guildId: small, ids: "all" });
    const sb = b.subscribe({ kind: "pool", type: "autoResponse", guildId: small, ids: "all" });
    await a.until(() => a.pools.get(sa)?.last?.status === "ready");
    await b.until(() => b.pools.get(sb)?.last?.status === "ready");
    const pushed: LogPoolPayload[] = [];
    const probe = await h.gw.client();
    await probe.ask("request_elevation", { token: await h.gw.token("alice") }, "request_elevation_return");
    await probe.ask(
      "spectate",
      { token: await h.gw.token("alice"), guild_id: small, include_logs: false },
      "spectate_return",
    );
    await h.gw.gateway.activity.publish(small, "pool_update", 40);
    await probe.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 40);
    pushed.push(...probe.of("log_pool"));
    const dataset = h.gw.gateway.context.dataset.guilds.get(small)!.pools.autoResponse;
    const expected = [...dataset.values()].sort((x, y) => x.id.localeCompare(y.id));
    for (const [t, s] of [
      [a, sa],
      [b, sb],
    ] as const) {
      await t.until(
        () =>
          JSON.stringify([...t.pool(s).entities.values()].sort((x, y) => x.id.localeCompare(y.id))) ===
          JSON.stringify(expected),
      );
    }
    expect(pushed.length).toBe(40);
  });

  it("search ranks like the gateway and follows pushed member changes", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const hubId = h.gw.guildId("Architus Hub");
    const target = [...h.gw.gateway.context.dataset.guilds.get(hubId)!.pools.member.values()][10]!;
    const s = a.subscribe({ kind: "search", guildId: hubId, query: target.name, limit: 5 });
    await a.until(() => a.search(s)?.status === "ready");
    const direct = await (
      await h.gw.userClient("bob")
    ).client.ask(
      "pool_search_request",
      { token: await h.gw.token("bob"), type: "member", guild_id: hubId, query: target.name, limit: 5 },
      "pool_response",
    );
    expect((a.search(s) as SearchResult).entities).toEqual(direct.data);
  });

  it("bad subscription specs are refused with bad_input and change nothing", async () => {
    h = await startHubHarness();
    const a = h.tab();
    const bad = [
      null,
      { kind: "nope" },
      { kind: "pool", type: "member", guildId: null, ids: "all" },
      { kind: "pool", type: "guild", guildId: "5", ids: "all" },
      { kind: "pool", type: "user", guildId: null, ids: "all" },
      { kind: "pool", type: "member", guildId: "5", ids: ["x"] },
      { kind: "pool", type: "member", guildId: "5", ids: "some" },
      { kind: "search", guildId: "5", query: "a", limit: 500 },
      { kind: "logs", guildId: 5 },
    ];
    for (const spec of bad)
      expect(() => h.hub.subscribe(a.id, 1, spec)).toThrow(expect.objectContaining({ code: "bad_input" }));
    expect(h.hub.diagnostics().subscriptions).toEqual({});
    expect(() => h.hub.subscribe("no-such-tab", 1, { kind: "session" })).toThrow(
      expect.objectContaining({ code: "closed" }),
    );
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
});

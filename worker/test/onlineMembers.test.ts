import { afterEach, describe, expect, it } from "vitest";
import type { Member, PresenceStatus } from "../../src/protocol";
import type { SearchResult } from "../../src/shared";
import { presenceTopic } from "../../demo/gateway/broker";
import { PRESENCE_FLUSH_MS } from "../../demo/gateway/presenceFlusher";
import { startHubHarness, type HubHarness } from "./hubHarness";
import type { FakeTab } from "./fakeTab";

let h: HubHarness;
afterEach(async () => h?.stop());

/** The guild's online members as the gateway publishes them. */
const published = (guildId: string): Map<string, PresenceStatus> =>
  new Map(h.gw.gateway.context.dataset.guilds.get(guildId)!.presence.online());

/** What a tab's pool subscription holds: member id → status. */
const statuses = (tab: FakeTab, sub: number): Map<string, PresenceStatus | undefined> =>
  new Map([...tab.pool(sub).entities.values()].map((m) => [m.id, (m as Member).status]));

/** The online members of a tab's whole member pool. */
const onlineIn = (tab: FakeTab, sub: number): Map<string, PresenceStatus | undefined> =>
  new Map([...statuses(tab, sub)].filter(([, s]) => s !== "offline"));

/** Whether two maps hold the same entries. */
const same = (a: Map<string, unknown>, b: Map<string, unknown>) =>
  a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

const presenceSeq = (guildId: string) => h.gw.gateway.context.events.latest(presenceTopic(guildId));

/** Presence churn in the guild until the gateway's presence seq passed `after`; resolves with it. */
async function churn(guildId: string, changes: number, after = presenceSeq(guildId)): Promise<number> {
  while (presenceSeq(guildId) <= after) {
    await h.gw.gateway.activity.publish(guildId, "presence", changes);
    await new Promise((r) => setTimeout(r, PRESENCE_FLUSH_MS + 20));
  }
  return presenceSeq(guildId);
}

describe("hub: presence and the online view (PROTOCOL.md Extension 2)", () => {
  it("the online view is the online members only, one filtered request however many tabs ask, and follows presence", async () => {
    h = await startHubHarness({ gateway: { bigGuildMembers: 5000 } });
    const hub = h.gw.guildId("Architus Hub");
    const [a, b] = [h.tab(), h.tab()];
    await h.hub.login(a.id, await h.gw.token("bob"));
    await h.hub.spectate(a.id, hub, { includeLogs: false });
    const view = { kind: "pool", type: "member", guildId: hub, ids: "all", view: "online" } as const;
    const [sa, sb] = [a.subscribe(view), b.subscribe(view)];
    await a.until(() => a.pools.get(sa)?.last?.status === "ready");
    await b.until(() => b.pools.get(sb)?.last?.status === "ready");
    expect(statuses(a, sa)).toEqual(published(hub));
    expect(statuses(b, sb)).toEqual(published(hub));
    expect(a.pool(sa).last).toMatchObject({ loaded: published(hub).size, total: published(hub).size });
    // One snapshot of the online members; the whole member pool was never asked for.
    expect(h.gw.gateway.stats().requests.pool_all_request).toBe(1);
    expect(h.hub.pools.sent.all).toBe(1);
    // Presence flows to this socket (its spectate included it), and the view follows it.
    await churn(hub, 300);
    // Waited for (the deltas reach each tab after the worker applied the frame), then asserted.
    await a.until(() => same(statuses(a, sa), published(hub))).catch(() => {});
    await b.until(() => same(statuses(b, sb), published(hub))).catch(() => {});
    expect(statuses(a, sa)).toEqual(published(hub));
    expect(statuses(b, sb)).toEqual(published(hub));
  });

  it("every member entity held follows presence too: the whole pool, by id, and search results", async () => {
    h = await startHubHarness({ gateway: { bigGuildMembers: 3000 } });
    const small = h.gw.guildId("Small Talk");
    const tab = h.tab();
    await h.hub.login(tab.id, await h.gw.token("bob"));
    await h.hub.spectate(tab.id, small, { includeLogs: false });
    const members = [...h.gw.gateway.context.dataset.guilds.get(small)!.pools.member.values()];
    const whole = tab.subscribe({ kind: "pool", type: "member", guildId: small, ids: "all" });
    const ids = members.slice(0, 10).map((m) => m.id);
    const byId = tab.subscribe({ kind: "pool", type: "member", guildId: small, ids });
    const search = tab.subscribe({
      kind: "search",
      guildId: small,
      query: members[0]!.name.slice(0, 3),
      limit: 20,
    });
    await tab.until(
      () => tab.pools.get(whole)?.last?.status === "ready" && tab.pools.get(byId)?.last?.status === "ready",
    );
    await tab.until(() => tab.search(search)?.status === "ready");
    expect(onlineIn(tab, whole)).toEqual(published(small));
    await churn(small, 15);
    // Every pool the tab holds ends with the published statuses (the worker applied the frames,
    // and the tab got the deltas).
    const now = h.gw.gateway.context.dataset.guilds.get(small)!.presence;
    const current = () =>
      same(onlineIn(tab, whole), published(small)) &&
      ids.every((id) => (tab.pool(byId).entities.get(id) as Member).status === now.statusOf(id)) &&
      (tab.search(search) as SearchResult).entities.every((m) => (m as Member).status === now.statusOf(m.id));
    await tab.until(current).catch(() => {});
    expect(onlineIn(tab, whole)).toEqual(published(small));
    for (const id of ids) expect((tab.pool(byId).entities.get(id) as Member).status).toBe(now.statusOf(id));
    const found = tab.search(search) as SearchResult;
    expect(found.entities.length).toBeGreaterThan(0);
    for (const m of found.entities as Member[]) expect(m.status).toBe(now.statusOf(m.id));
  });

  it("on a gateway without the extension the view says unsupported and never asks for a snapshot", async () => {
    h = await startHubHarness({ gateway: { presence: false } });
    const small = h.gw.guildId("Small Talk");
    const tab = h.tab();
    await h.hub.login(tab.id, await h.gw.token("bob"));
    await h.hub.spectate(tab.id, small, { includeLogs: false });
    const sub = tab.subscribe({ kind: "pool", type: "member", guildId: small, ids: "all", view: "online" });
    await tab.until(() => tab.pools.get(sub)?.last?.status === "error");
    expect(tab.pool(sub).last?.error).toMatchObject({ code: "unsupported" });
    expect(tab.pool(sub).last?.error?.message).toMatch(/no presence/);
    expect(tab.pool(sub).entities.size).toBe(0);
    expect(h.gw.gateway.stats().requests.pool_all_request ?? 0).toBe(0);
    expect(h.hub.spectator.presence.support).toBe("unsupported");
    // The rest works as before: members without a status.
    const whole = tab.subscribe({ kind: "pool", type: "member", guildId: small, ids: "all" });
    await tab.until(() => tab.pools.get(whole)?.last?.status === "ready");
    expect([...tab.pool(whole).entities.values()].every((m) => (m as Member).status === undefined)).toBe(
      true,
    );
  });

  it("without a spectated guild the worker learns whether the gateway has presence, then loads the view", async () => {
    h = await startHubHarness();
    const small = h.gw.guildId("Small Talk");
    const tab = h.tab();
    await h.hub.login(tab.id, await h.gw.token("bob"));
    const sub = tab.subscribe({ kind: "pool", type: "member", guildId: small, ids: "all", view: "online" });
    await tab.until(() => tab.pools.get(sub)?.last?.status === "ready");
    expect(statuses(tab, sub)).toEqual(published(small));
    expect(h.hub.spectator.presence.support).toBe("supported");
    expect(h.hub.spectator.guildId).toBeNull();
  });

  it("after a dropped connection the view resumes with since.presence: replayed, not loaded again", async () => {
    h = await startHubHarness({ gateway: { bigGuildMembers: 3000 } });
    const hub = h.gw.guildId("Architus Hub");
    const tab = h.tab();
    await h.hub.login(tab.id, await h.gw.token("bob"));
    await h.hub.spectate(tab.id, hub, { includeLogs: false });
    const sub = tab.subscribe({ kind: "pool", type: "member", guildId: hub, ids: "all", view: "online" });
    await tab.until(() => tab.pools.get(sub)?.last?.status === "ready");
    const before = h.hub.spectator.presenceAt(hub) ?? 0;
    // The gateway drops every socket, then presence changes while this one is away.
    const reconnected = new Promise<void>((resolve) => {
      let dropped = false;
      const stop = h.hub.connection.listen((s) => {
        if (s.status !== "connected") dropped = true;
        else if (dropped) {
          stop();
          resolve();
        }
      });
    });
    await fetch(`${h.gw.gateway.url}/dev/fault`, {
      method: "POST",
      body: JSON.stringify({ kind: "drop_sockets" }),
    });
    const missed = await churn(hub, 200, before);
    await reconnected;
    await tab
      .until(
        () => h.hub.spectator.presenceAt(hub) === missed && same(statuses(tab, sub), published(hub)),
        15_000,
      )
      .catch(() => {});
    expect(h.hub.spectator.presenceAt(hub)).toBe(missed);
    expect(statuses(tab, sub)).toEqual(published(hub));
    expect(h.hub.pools.sent.all).toBe(1);
    expect(h.hub.diagnostics().counters.presenceFrames).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import type { Member, PresenceStatus } from "../../src/protocol";
import { presenceTopic } from "../../demo/gateway/broker";
import { PRESENCE_FLUSH_MS } from "../../demo/gateway/presenceFlusher";
import type { PoolDelta, SubscriptionSpec } from "../../src/shared";
import { startHubHarness, type HubHarness } from "./hubHarness";
import type { FakeTab } from "./fakeTab";
import { CACHE_HUB, CACHE_SETTINGS, cacheTestHooks } from "./workerLives";

let h: HubHarness;
const lives = cacheTestHooks(() => h as HubHarness | undefined);

const last = (tab: FakeTab, sub: number): PoolDelta | null => tab.pools.get(sub)?.last ?? null;
const statuses = (tab: FakeTab, sub: number) =>
  new Map([...tab.pool(sub).entities.values()].map((m) => [m.id, (m as Member).status]));
const published = (guildId: string): Map<string, PresenceStatus> =>
  new Map(h.gw.gateway.context.dataset.guilds.get(guildId)!.presence.online());
const snapshots = () => h.gw.gateway.stats().requests.pool_all_request ?? 0;

describe("hub: the online view in the IndexedDB cache", () => {
  it("a reload shows the cached view at once, then catches it up with since.presence (no new snapshot)", async () => {
    h = await startHubHarness({ hub: CACHE_HUB, gateway: { bigGuildMembers: 4000 } });
    const hub = h.gw.guildId("Architus Hub");
    const view: SubscriptionSpec = { kind: "pool", type: "member", guildId: hub, ids: "all", view: "online" };
    const a = h.tab(CACHE_SETTINGS);
    await h.hub.login(a.id, await h.gw.token("bob"));
    await h.hub.spectate(a.id, hub, { includeLogs: false });
    const first = a.subscribe(view);
    await a.until(() => last(a, first)?.status === "ready");
    const cachedAt = h.hub.spectator.presenceAt(hub) ?? 0;
    a.close();
    await h.hub.cache?.flush();

    // Presence changes while no worker runs: the next one must get them by replay.
    const topic = presenceTopic(hub);
    while (h.gw.gateway.context.events.latest(topic) < cachedAt + 2) {
      await h.gw.gateway.activity.publish(hub, "presence", 150);
      await new Promise((r) => setTimeout(r, PRESENCE_FLUSH_MS + 20));
    }
    const before = snapshots();

    const next = lives.next(h.gw.gateway.url);
    const b = next.tab();
    const sub = b.subscribe(view);
    const login = next.hub.login(b.id, await h.gw.token("bob"));
    // Offline still: the cached copy shows, stale, with the statuses it had.
    await b.until(() => last(b, sub)?.source === "cache");
    expect(last(b, sub)).toMatchObject({ status: "ready", stale: true });
    expect(b.pool(sub).entities.size).toBeGreaterThan(0);
    next.online();
    await login;
    await next.hub.spectate(b.id, hub, { includeLogs: false });
    const latest = h.gw.gateway.context.events.latest(topic);
    const caughtUp = () => {
      const held = statuses(b, sub);
      const truth = published(hub);
      return (
        last(b, sub)?.source === "network" &&
        held.size === truth.size &&
        [...truth].every(([id, status]) => held.get(id) === status)
      );
    };
    await b.until(caughtUp).catch(() => {});
    expect(next.hub.spectator.presenceAt(hub)).toBe(latest);
    expect(statuses(b, sub)).toEqual(published(hub));
    expect(last(b, sub)).toMatchObject({ status: "ready", stale: false, total: published(hub).size });
    // Caught up by the replay of what it missed: no snapshot asked again.
    expect(snapshots()).toBe(before);
    expect(next.hub.diagnostics().cache.hits).toBeGreaterThanOrEqual(1);
  });
});

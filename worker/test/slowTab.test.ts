import { afterEach, describe, expect, it } from "vitest";
import type { Entity } from "../../src/protocol";
import type { SpectatingState } from "../../src/shared";
import { inGap } from "../../bench/stats";
import { MAX_IN_FLIGHT } from "../tabs/deliveryQueue";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

const sorted = (entities: Iterable<Entity>) =>
  JSON.stringify([...entities].map((e) => JSON.stringify(e)).sort());

describe("hub: a tab that stops taking its deliveries", () => {
  it("is held to its backlog (oldest entries dropped, a slow_tab gap), the others get everything, it catches up", async () => {
    h = await startHubHarness();
    const gw = h.gw.gateway;
    const guild = h.gw.guildId("Architus Hub");
    const fast = h.tab();
    const slow = h.tab(false, 500);
    await h.hub.login(fast.id, await h.gw.token("dave"));
    const fastLogs = fast.subscribe({ kind: "logs", guildId: guild });
    const slowLogs = slow.subscribe({ kind: "logs", guildId: guild });
    const types = ["channel", "role", "autoResponse"] as const;
    const pools = types.map((type) => slow.subscribe({ kind: "pool", type, guildId: guild, ids: "all" }));
    const spectating = fast.subscribe({ kind: "spectating" });
    await h.hub.spectate(fast.id, guild, {});
    await fast.until(() => fast.latest<SpectatingState>(spectating)?.includeLogs === true);
    await slow.until(() => pools.every((p) => slow.pools.get(p)?.last?.status === "ready"));

    const topic = `${guild}_logs`;
    const from = gw.context.events.latest(topic) + 1;
    slow.pause();
    let largest = 0;
    for (let i = 0; i < 30; i++) {
      await gw.activity.publish(guild, "message", 100);
      await gw.activity.publish(guild, "pool_update", 5);
      largest = Math.max(largest, ...h.hub.diagnostics().tabList.map((t) => t.backlog));
    }
    const to = gw.context.events.latest(topic);
    await fast.until(() => (fast.logs.get(fastLogs)?.at(-1)?.seq ?? 0) >= to);
    largest = Math.max(largest, ...h.hub.diagnostics().tabList.map((t) => t.backlog));

    // The worker held at most the slow tab's backlog for it, however much flowed.
    expect(largest).toBeLessThanOrEqual(500);
    // Posted before it stopped, unacknowledged: at most MAX_IN_FLIGHT batches, holding less than
    // the backlog plus the last batch.
    expect(slow.waiting).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(slow.waitingUnits).toBeLessThan(2 * 500);
    const dropped = h.hub.diagnostics().counters.slowTabDropped ?? 0;
    expect(dropped).toBeGreaterThanOrEqual(3000 - 500 - slow.waitingUnits);

    slow.resume();
    await slow.until(() => (slow.logs.get(slowLogs)?.at(-1)?.seq ?? 0) >= to);
    const fastSeqs = (fast.logs.get(fastLogs) ?? []).map((e) => e.seq).filter((s) => s >= from);
    expect(fastSeqs).toEqual([...Array(to - from + 1).keys()].map((i) => from + i));
    expect(fast.gaps.get(fastLogs)).toBeUndefined();

    const gaps = slow.gaps.get(slowLogs) ?? [];
    // One gap, or a few where the tab was held back more than once: each says which entries went.
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    for (const gap of gaps) expect(gap).toMatchObject({ guildId: guild, reason: "slow_tab" });
    const slowSeqs = (slow.logs.get(slowLogs) ?? []).map((e) => e.seq).filter((s) => s >= from);
    // Each entry once; all but those the gaps name.
    expect(new Set(slowSeqs).size).toBe(slowSeqs.length);
    expect(slowSeqs).toEqual(fastSeqs.filter((s) => !inGap(s, gaps)));
    expect(to - from + 1 - slowSeqs.length).toBe(dropped);

    // Its pools end equal to the gateway's (changes that piled up were resent whole).
    for (const [i, type] of types.entries()) {
      const truth = gw.context.dataset.guilds.get(guild)!.pools[type];
      await slow.until(() => sorted(slow.pool(pools[i]!).entities.values()) === sorted(truth.values()));
    }
    expect(Math.max(...h.hub.diagnostics().tabList.map((t) => t.backlog))).toBe(0);
  });
});

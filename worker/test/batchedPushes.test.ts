import { afterEach, describe, expect, it } from "vitest";
import type { Entity } from "../../src/protocol";
import type { SpectatingState } from "../../src/shared";
import { startHubHarness, untilPoolSeq, type HubHarness } from "./hubHarness";
import type { FakeTab } from "./fakeTab";

let h: HubHarness;
afterEach(async () => h?.stop());

const byId = (entities: Iterable<Entity>) =>
  JSON.stringify([...entities].map((e) => JSON.stringify(e)).sort());

/**
 * Two tabs, dave logged in, Architus Hub spectated with logs; 1,200 messages, 100 private ones and
 * 20 pool updates published. Returns what the tabs received and the worker's counters.
 */
async function stream(tabBatchMs: number) {
  const guild = h.gw.guildId("Architus Hub");
  const gw = h.gw.gateway;
  const tabs: FakeTab[] = [h.tab(false, 10_000, tabBatchMs), h.tab(false, 10_000, tabBatchMs)];
  await h.hub.login(tabs[0]!.id, await h.gw.token("dave"));
  const subs = tabs.map((t) => ({
    logs: t.subscribe({ kind: "logs", guildId: guild }),
    roles: t.subscribe({ kind: "pool", type: "role", guildId: guild, ids: "all" }),
    spectating: t.subscribe({ kind: "spectating" }),
  }));
  await h.hub.spectate(tabs[0]!.id, guild, {});
  await tabs[0]!.until(() => tabs[0]!.latest<SpectatingState>(subs[0]!.spectating)?.includeLogs === true);
  await tabs[1]!.until(() => tabs[1]!.pools.get(subs[1]!.roles)?.last?.status === "ready");
  const from = gw.context.events.latest(`${guild}_logs`) + 1;
  await gw.activity.publish(guild, "message", 1200);
  await gw.activity.publish(guild, "private_message", 100);
  await gw.activity.publish(guild, "pool_update", 20);
  const to = gw.context.events.latest(`${guild}_logs`);
  const poolTo = gw.context.events.latest(guild);
  for (const [i, t] of tabs.entries()) {
    await t.until(() => (t.logs.get(subs[i]!.logs)?.at(-1)?.seq ?? 0) >= to);
  }
  await untilPoolSeq(h.hub, guild, poolTo);
  // The pool as the gateway has it now.
  const gatewayRoles = gw.context.dataset.guilds.get(guild)!.pools.role;
  return { guild, tabs, subs, from, to, gatewayRoles };
}

describe("hub: batched pushes (PROTOCOL.md Extension 1)", () => {
  it("asks for batches by default: log_batch frames only, every seq once in every tab, pools equal the gateway's", async () => {
    h = await startHubHarness();
    const { tabs, subs, from, to, gatewayRoles } = await stream(16);
    const d = h.hub.diagnostics();
    expect(d.spectating.batchMs).toBe(16);
    expect(d.counters["in:log_batch"]).toBeGreaterThan(0);
    expect(d.counters["in:log_other"] ?? 0).toBe(0);
    expect(d.counters["in:log_pool"] ?? 0).toBe(0);
    // 1,320 entries in far fewer frames.
    expect(d.counters["in:log_batch"]).toBeLessThan(100);
    for (const [i, t] of tabs.entries()) {
      const seqs = (t.logs.get(subs[i]!.logs) ?? []).map((e) => e.seq).filter((s) => s >= from);
      expect(seqs).toEqual([...Array(to - from + 1).keys()].map((k) => from + k));
      expect(byId(t.pool(subs[i]!.roles).entities.values())).toBe(byId(gatewayRoles.values()));
    }
    expect(d.counters.badFrames ?? 0).toBe(0);
  });

  it("batchMs 0 asks for single frames, with the same result", async () => {
    h = await startHubHarness();
    const { tabs, subs, from, to, gatewayRoles } = await stream(0);
    const d = h.hub.diagnostics();
    expect(d.spectating.batchMs).toBeNull();
    expect(d.counters["in:log_batch"] ?? 0).toBe(0);
    expect(d.counters["in:log_other"]).toBeGreaterThanOrEqual(to - from + 1);
    for (const [i, t] of tabs.entries()) {
      const seqs = (t.logs.get(subs[i]!.logs) ?? []).map((e) => e.seq).filter((s) => s >= from);
      expect(seqs).toEqual([...Array(to - from + 1).keys()].map((k) => from + k));
      expect(byId(t.pool(subs[i]!.roles).entities.values())).toBe(byId(gatewayRoles.values()));
    }
  });

  it("against a gateway without the extension: single frames, the same result", async () => {
    h = await startHubHarness({ gateway: { batching: false } });
    const { tabs, subs, from, to, gatewayRoles } = await stream(16);
    const d = h.hub.diagnostics();
    expect(d.spectating.batchMs).toBeNull();
    expect(d.counters["in:log_batch"] ?? 0).toBe(0);
    for (const [i, t] of tabs.entries()) {
      const seqs = (t.logs.get(subs[i]!.logs) ?? []).map((e) => e.seq).filter((s) => s >= from);
      expect(seqs).toEqual([...Array(to - from + 1).keys()].map((k) => from + k));
      expect(byId(t.pool(subs[i]!.roles).entities.values())).toBe(byId(gatewayRoles.values()));
    }
  });

  it("checks each entry of a batch: a malformed one or one of another guild is counted and dropped, the rest applies", async () => {
    h = await startHubHarness();
    const { guild, tabs, subs, to } = await stream(16);
    const other = h.gw.guildId("Tiny Test");
    const entry = (seq: number, guildId = guild) => ({
      guild_id: guildId,
      seq,
      action: {
        id: String(seq),
        action_number: 3001,
        timestamp: Date.now(),
        guild_id: guildId,
        private: false,
        reversible: false,
      },
    });
    const badBefore = h.hub.diagnostics().counters.badFrames ?? 0;
    const frame = JSON.stringify({
      guild_id: guild,
      pool: [],
      logs: [
        entry(to + 1),
        { ...entry(to + 2), seq: "x" },
        entry(to + 3, other),
        entry(to + 4),
        entry(to + 1),
      ],
    });
    for (const socket of h.gw.gateway.context.io.sockets.sockets.values())
      (socket as unknown as { emit(e: string, p: string): void }).emit("log_batch", frame);
    for (const [i, t] of tabs.entries())
      await t.until(() => (t.logs.get(subs[i]!.logs)?.at(-1)?.seq ?? 0) === to + 4);
    for (const [i, t] of tabs.entries())
      expect((t.logs.get(subs[i]!.logs) ?? []).map((e) => e.seq).slice(-2)).toEqual([to + 1, to + 4]);
    const d = h.hub.diagnostics();
    expect((d.counters.badFrames ?? 0) - badBefore).toBe(2);
    expect(d.counters.duplicateFrames).toBeGreaterThanOrEqual(1);
    // A batch over the 1,000-entry cap is refused whole.
    const big = JSON.stringify({
      guild_id: guild,
      pool: [],
      logs: Array.from({ length: 1001 }, (_, k) => entry(to + 10 + k)),
    });
    for (const socket of h.gw.gateway.context.io.sockets.sockets.values())
      (socket as unknown as { emit(e: string, p: string): void }).emit("log_batch", big);
    // Nothing reaches a tab: poll the worker's counter.
    while ((h.hub.diagnostics().counters.badFrames ?? 0) - badBefore < 3)
      await new Promise((r) => setTimeout(r, 10));
    expect((tabs[0]!.logs.get(subs[0]!.logs) ?? []).at(-1)?.seq).toBe(to + 4);
  });
});

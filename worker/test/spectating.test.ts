import { afterEach, describe, expect, it } from "vitest";
import type { SpectatingState } from "../../src/shared";
import { reply } from "../../demo/gateway/context";
import { gatewayHandlers } from "../../demo/gateway/gatewayHandlers";
import { startHubHarness, type HubHarness } from "./hubHarness";
import { saveHandlers } from "./patchGateway";

let h: HubHarness;
afterEach(async () => h?.stop());

const guildRooms = (h: HubHarness) =>
  Object.keys(h.gw.gateway.stats().rooms)
    .filter((r) => r.startsWith("guild:"))
    .sort();

describe("hub: spectating", () => {
  it("the latest spectate wins; every tab sees whose it is; focus takes it back", async () => {
    h = await startHubHarness();
    const [t1, t2] = [h.tab(), h.tab()];
    const s1 = t1.subscribe({ kind: "spectating" });
    const s2 = t2.subscribe({ kind: "spectating" });
    await h.hub.login(t1.id, await h.gw.token("dave"));
    const A = h.gw.guildId("Architus Hub");
    const B = h.gw.guildId("Midnight Guild");
    await h.hub.spectate(t1.id, A, {});
    expect(guildRooms(h)).toEqual([`guild:${A}`]);
    await h.hub.spectate(t2.id, B, {});
    expect(guildRooms(h)).toEqual([`guild:${B}`]);
    await t1.until(() => t1.latest<SpectatingState>(s1)?.guildId === B);
    await t2.until(() => t2.latest<SpectatingState>(s2)?.guildId === B);
    expect(t1.latest<SpectatingState>(s1)).toMatchObject({
      guildId: B,
      mine: false,
      wanted: A,
      pending: false,
    });
    expect(t2.latest<SpectatingState>(s2)).toMatchObject({ guildId: B, mine: true, wanted: B });
    await h.hub.focus(t1.id);
    expect(guildRooms(h)).toEqual([`guild:${A}`]);
    await t2.until(() => t2.latest<SpectatingState>(s2)?.guildId === A);
    await t1.until(() => t1.latest<SpectatingState>(s1)?.guildId === A);
    expect(t2.latest<SpectatingState>(s2)).toMatchObject({ mine: false, wanted: B });
    expect(t1.latest<SpectatingState>(s1)).toMatchObject({ mine: true });
  });

  it("a refused spectate (403) keeps the current guild and rejects the caller", async () => {
    h = await startHubHarness();
    const t = h.tab();
    await h.hub.login(t.id, await h.gw.token("bob"));
    const small = h.gw.guildId("Small Talk");
    await h.hub.spectate(t.id, small, {});
    await expect(h.hub.spectate(t.id, h.gw.guildId("Midnight Guild"), {})).rejects.toMatchObject({
      code: 403,
    });
    expect(guildRooms(h)).toEqual([`guild:${small}`]);
    expect(h.hub.spectator.stateFor(t.id)).toMatchObject({ guildId: small, wanted: small, mine: true });
    await expect(h.hub.spectate(t.id, "not-a-guild", {})).rejects.toMatchObject({ code: "bad_input" });
  });

  it("an answer for another guild, or not a success, fails bad_frame and changes nothing (no re-send loop)", async () => {
    h = await startHubHarness();
    const t = h.tab();
    await h.hub.login(t.id, await h.gw.token("bob"));
    const small = h.gw.guildId("Small Talk");
    await h.hub.spectate(t.id, small, {});
    const restore = saveHandlers();
    try {
      for (const forged of [
        { success: true, guild_id: h.gw.guildId("Midnight Guild") },
        { success: false, guild_id: null },
      ]) {
        gatewayHandlers.spectate = (_ctx, session, payload) =>
          reply(session, "spectate_return", {
            _id: payload._id,
            include_logs: false,
            pool_seq: 0,
            logs_seq: 0,
            replayed: 0,
            ...forged,
          });
        const before = h.gw.gateway.stats().requests.spectate ?? 0;
        await expect(h.hub.spectate(t.id, h.gw.guildId("Architus Hub"), {})).rejects.toMatchObject({
          code: "bad_frame",
        });
        expect(h.hub.spectator.stateFor(t.id)).toMatchObject({ guildId: small });
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(h.gw.gateway.stats().requests.spectate).toBe(before + 1);
      }
    } finally {
      restore();
    }
  });

  it("include_logs is on only while some tab subscribes to the guild's logs; entries are identical and gap-free", async () => {
    h = await startHubHarness();
    const tabs = [h.tab(), h.tab(), h.tab()];
    await h.hub.login(tabs[0]!.id, await h.gw.token("dave"));
    const A = h.gw.guildId("Architus Hub");
    await h.hub.spectate(tabs[0]!.id, A, {});
    expect(guildRooms(h)).toEqual([`guild:${A}`]);
    const spec = tabs[0]!.subscribe({ kind: "spectating" });
    const logsOn = (on: boolean) =>
      tabs[0]!.until(() => tabs[0]!.latest<SpectatingState>(spec)?.includeLogs === on);
    const subs = tabs.map((t) => t.subscribe({ kind: "logs", guildId: A }));
    await logsOn(true);
    expect(guildRooms(h)).toEqual([`guild:${A}`, `guild:${A}:logs`, `guild:${A}:logs:private`]);
    await h.gw.gateway.activity.publish(A, "message", 150);
    await h.gw.gateway.activity.publish(A, "private_message", 50);
    await Promise.all(tabs.map((t, i) => t.until(() => (t.logs.get(subs[i]!)?.length ?? 0) === 200)));
    const seqs = tabs.map((t, i) => t.logs.get(subs[i]!)!.map((e) => e.seq));
    expect(seqs[0]).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(seqs[1]).toEqual(seqs[0]);
    expect(seqs[2]).toEqual(seqs[0]);
    // Batched: far fewer postMessages than entries.
    expect(tabs[0]!.batches.length).toBeLessThan(100);
    tabs.forEach((t, i) => h.hub.unsubscribe(t.id, subs[i]!));
    await logsOn(false);
    expect(guildRooms(h)).toEqual([`guild:${A}`]);
    expect(h.gw.gateway.stats().topics).toEqual([A]);
  });

  it("after a reconnect: re-elevates, re-spectates with since and replays what was missed", async () => {
    h = await startHubHarness();
    const t = h.tab();
    const spec = t.subscribe({ kind: "spectating" });
    const conn = t.subscribe({ kind: "connection" });
    await h.hub.login(t.id, await h.gw.token("dave"));
    const A = h.gw.guildId("Architus Hub");
    await h.hub.spectate(t.id, A, {});
    const logs = t.subscribe({ kind: "logs", guildId: A });
    const roles = t.subscribe({ kind: "pool", type: "role", guildId: A, ids: "all" });
    await t.until(
      () =>
        t.latest<SpectatingState>(spec)?.includeLogs === true && t.pools.get(roles)?.last?.status === "ready",
    );
    await h.gw.gateway.activity.publish(A, "message", 5);
    await t.until(() => t.logs.get(logs)?.length === 5);
    const sid = h.hub.link.state.socketId;
    // The gateway drops the socket and, before any I/O can happen (same tick, no await on I/O),
    // events are published: the worker is not in the rooms for them.
    h.gw.gateway.context.io.in(sid!).disconnectSockets(true);
    await h.gw.gateway.activity.publish(A, "message", 7);
    await h.gw.gateway.activity.publish(A, "pool_update", 12);
    await t.until(() => {
      const state = t.latest<{ status: string; socketId: string | null }>(conn);
      return (
        state?.status === "connected" &&
        state.socketId !== sid &&
        t.latest<SpectatingState>(spec)?.includeLogs === true
      );
    }, 15_000);
    await t.until(() => t.logs.get(logs)?.length === 12);
    expect(t.logs.get(logs)!.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const dataset = h.gw.gateway.context.dataset.guilds.get(A)!.pools.role;
    await t.until(() => t.pool(roles).entities.size === dataset.size);
    expect(new Map([...t.pool(roles).entities].sort())).toEqual(new Map([...dataset].sort()));
    expect(h.hub.link.state.socketId).not.toBe(sid);
    expect(h.gw.gateway.stats().elevated).toBe(1);
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

import { afterEach, describe, expect, it } from "vitest";
import type { LogOtherPayload, LogPoolPayload } from "../../../src/protocol";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

describe("per-socket permission filtering", () => {
  it("private log entries reach only VIEW_PRIVATE_LOGS holders, every one of them", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const bob = await h.userClient("bob"); // 0x112: public logs only
    const dave = await h.userClient("dave"); // 0x116: private logs too
    for (const u of [bob, dave])
      await u.client.ask(
        "spectate",
        { token: u.token, guild_id: hub, include_logs: true },
        "spectate_return",
      );
    await h.gateway.activity.publish(hub, "private_message", 40);
    await h.gateway.activity.publish(hub, "message", 10);
    await dave.client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 50);
    await bob.client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 50);
    const daveSeen = dave.client.of("log_other");
    const bobSeen = bob.client.of("log_other");
    expect(daveSeen.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(daveSeen.filter((e) => e.action.private)).toHaveLength(40);
    expect(bobSeen.filter((e) => e.action.private)).toHaveLength(0);
    expect(bobSeen.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 41));
  });

  it("no log_other at all without VIEW_PUBLIC_LOGS", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const carol = await h.userClient("carol");
    await carol.client.ask(
      "spectate",
      { token: carol.token, guild_id: hub, include_logs: true },
      "spectate_return",
    );
    await h.gateway.activity.publish(hub, "message", 5);
    await h.gateway.activity.publish(hub, "pool_update", 1);
    await carol.client.waitFor((f) => f.event === "log_pool");
    expect(carol.client.of("log_other")).toEqual([]);
  });

  it("log_pool: settings updates and private details only with the permission, seq never skipped", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const carol = await h.userClient("carol"); // 0x110: settings, no logs
    const bob = await h.userClient("bob"); // 0x112: settings, public logs
    const alice = await h.userClient("alice"); // everything
    const noSettingsToken = await h.gateway.auth.sign(
      { sub: h.userId("bob"), permissions: 0, guilds: { [hub]: 0x2 } },
      3600,
    );
    const limited = await h.client();
    await limited.ask("request_elevation", { token: noSettingsToken }, "request_elevation_return");
    for (const [c, t] of [
      [carol.client, carol.token],
      [bob.client, bob.token],
      [alice.client, alice.token],
      [limited, noSettingsToken],
    ] as const)
      await c.ask("spectate", { token: t, guild_id: hub, include_logs: false }, "spectate_return");

    await h.gateway.activity.publish(hub, "pool_update", 60);
    for (const c of [carol.client, bob.client, alice.client, limited])
      await c.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 60);

    const full = alice.client.of("log_pool");
    expect(full.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const settingsEvents = full.filter((e) => e.updates.some((u) => u.type === "settingValue"));
    const privateEvents = full.filter((e) => e.action.private);
    expect(settingsEvents.length).toBeGreaterThan(0);
    expect(privateEvents.length).toBeGreaterThan(0);

    const limitedSeen = limited.of("log_pool");
    expect(limitedSeen.map((e) => e.seq)).toEqual(full.map((e) => e.seq));
    expect(limitedSeen.flatMap((e) => e.updates).filter((u) => u.type === "settingValue")).toEqual([]);
    for (const e of limitedSeen.filter((e) => e.action.private)) {
      expect(e.action.data).toBeUndefined();
      expect(e.action.old_data).toBeUndefined();
      expect(e.action.agent_id).toBeUndefined();
    }
    // Bob may see settings but not private details; the pool updates themselves reach him.
    const bobSeen = bob.client.of("log_pool");
    expect(bobSeen.flatMap((e) => e.updates)).toEqual(full.flatMap((e) => e.updates));
    for (const e of bobSeen.filter((e) => e.action.private)) expect(e.action.data).toBeUndefined();
    expect(carol.client.of("log_pool").map((e) => e.seq)).toEqual(full.map((e) => e.seq));
  });

  it("settingValue needs VIEW_SETTINGS (403)", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const token = await h.gateway.auth.sign(
      { sub: h.userId("bob"), permissions: 0, guilds: { [hub]: 0x2 } },
      3600,
    );
    const c = await h.client();
    await c.ask("request_elevation", { token }, "request_elevation_return");
    expect((await c.fails("pool_all_request", { token, type: "settingValue", guild_id: hub })).code).toBe(
      403,
    );
    expect(
      (await c.fails("pool_request", { token, type: "settingValue", guild_id: hub, ids: ["prefix"] })).code,
    ).toBe(403);
    const { client: bob, token: bobToken } = await h.userClient("bob");
    const ok = await bob.ask(
      "pool_all_request",
      { token: bobToken, type: "settingValue", guild_id: hub },
      "pool_response",
    );
    expect(ok.data.length).toBeGreaterThan(0);
  });

  it("a refreshed token with fewer permissions takes effect at the next request", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("dave");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    expect(h.gateway.stats().rooms[`guild:${hub}:logs:private`]).toBe(1);
    const reduced = await h.gateway.auth.sign(
      { sub: h.userId("dave"), permissions: 0, guilds: { [hub]: 0x112 } },
      3600,
    );
    await c.ask("pool_all_request", { token: reduced, type: "guild" }, "pool_response");
    const rooms = h.gateway.stats().rooms;
    expect(rooms[`guild:${hub}:logs:private`]).toBeUndefined();
    expect(rooms[`guild:${hub}:logs`]).toBe(1);
    const from = c.frames.length;
    await h.gateway.activity.publish(hub, "private_message", 3);
    await h.gateway.activity.publish(hub, "message", 1);
    await c.waitFor((f) => f.event === "log_other", from);
    expect(c.of("log_other", from).map((e) => e.action.private)).toEqual([false]);
    const gone = await h.gateway.auth.sign({ sub: h.userId("dave"), permissions: 0, guilds: {} }, 3600);
    await c.ask("pool_all_request", { token: gone, type: "guild" }, "pool_response");
    expect(Object.keys(h.gateway.stats().rooms).filter((r) => r.startsWith("guild:"))).toEqual([]);
  });
});

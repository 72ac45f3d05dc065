import { afterEach, describe, expect, it } from "vitest";
import type { LogOtherPayload } from "../../../src/protocol";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

const guildRooms = (h: Harness) =>
  Object.fromEntries(Object.entries(h.gateway.stats().rooms).filter(([room]) => room.startsWith("guild:")));

describe("spectate", () => {
  it("joins the guild rooms and subscribes the node to the guild's topics", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("dave");
    const hub = h.guildId("Architus Hub");
    const ret = await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    expect(ret).toMatchObject({ success: true, guild_id: hub, include_logs: true, replayed: 0 });
    expect(guildRooms(h)).toEqual({
      [`guild:${hub}`]: 1,
      [`guild:${hub}:logs`]: 1,
      [`guild:${hub}:logs:private`]: 1,
    });
    expect(h.gateway.stats().topics).toEqual([hub, `${hub}_logs`].sort());
  });

  it("switching guilds leaves the old guild's rooms: no more of its events", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("dave");
    const hub = h.guildId("Architus Hub");
    const midnight = h.guildId("Midnight Guild");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    await h.gateway.activity.publish(hub, "message", 3);
    await c.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 3);

    const ret = await c.ask("spectate", { token, guild_id: midnight, include_logs: true }, "spectate_return");
    expect(ret.guild_id).toBe(midnight);
    expect(Object.keys(guildRooms(h)).sort()).toEqual(
      [`guild:${midnight}`, `guild:${midnight}:logs`, `guild:${midnight}:logs:private`].sort(),
    );
    expect(h.gateway.stats().topics).toEqual([midnight, `${midnight}_logs`].sort());
    const from = c.frames.length;
    await h.gateway.activity.publish(hub, "message", 5);
    await h.gateway.activity.publish(hub, "pool_update", 2);
    await h.gateway.activity.publish(midnight, "message", 1);
    // Delivery on one socket is ordered: once Midnight's event is in, Hub's would have been too.
    await c.waitFor(
      (f) => f.event === "log_other" && (f.payload as LogOtherPayload).guild_id === midnight,
      from,
    );
    const after = c.frames.slice(from).filter((f) => f.event === "log_other" || f.event === "log_pool");
    expect(after.map((f) => (f.payload as LogOtherPayload).guild_id)).toEqual([midnight]);
  });

  it("guild_id null stops spectating", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("bob");
    await c.ask(
      "spectate",
      { token, guild_id: h.guildId("Small Talk"), include_logs: true },
      "spectate_return",
    );
    const ret = await c.ask("spectate", { token, guild_id: null, include_logs: false }, "spectate_return");
    expect(ret).toMatchObject({ success: true, guild_id: null, include_logs: false });
    expect(guildRooms(h)).toEqual({});
    expect(h.gateway.stats().topics).toEqual([]);
  });

  it("403 for a guild the token lacks, 404 for an unknown guild (admin), state unchanged", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("bob");
    const small = h.guildId("Small Talk");
    await c.ask("spectate", { token, guild_id: small, include_logs: false }, "spectate_return");
    const err = await c.fails("spectate", {
      token,
      guild_id: h.guildId("Midnight Guild"),
      include_logs: false,
    });
    expect(err.code).toBe(403);
    expect(guildRooms(h)).toEqual({ [`guild:${small}`]: 1 });
    const { client: admin, token: adminToken } = await h.userClient("alice");
    expect(
      (await admin.fails("spectate", { token: adminToken, guild_id: "123", include_logs: false })).code,
    ).toBe(404);
  });

  it("include_logs only when permitted: no VIEW_PUBLIC_LOGS → no log rooms", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("carol");
    const hub = h.guildId("Architus Hub");
    const ret = await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    expect(ret.include_logs).toBe(false);
    expect(guildRooms(h)).toEqual({ [`guild:${hub}`]: 1 });
    expect(h.gateway.stats().topics).toEqual([hub]);
  });

  it("the node subscribes to a topic once for many sockets and drops it with the last", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const a = await h.userClient("bob");
    const b = await h.userClient("dave");
    await a.client.ask("spectate", { token: a.token, guild_id: hub, include_logs: true }, "spectate_return");
    await b.client.ask("spectate", { token: b.token, guild_id: hub, include_logs: false }, "spectate_return");
    expect(h.gateway.stats().topics).toEqual([hub, `${hub}_logs`].sort());
    await a.client.ask("spectate", { token: a.token, guild_id: hub, include_logs: false }, "spectate_return");
    expect(h.gateway.stats().topics).toEqual([hub]);
    a.client.close();
    await b.client.ask(
      "spectate",
      { token: b.token, guild_id: null, include_logs: false },
      "spectate_return",
    );
    expect(h.gateway.stats().topics).toEqual([]);
  });

  it("a disconnecting socket releases its rooms and topics", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("dave");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    const probe = await h.client();
    c.close();
    // The gateway handles the disconnect before it answers a later request on another socket.
    await probe.ask("interpret", { guild_id: "1", message_id: "2", content: "!ping" }, "interpret_return");
    await expect.poll(() => h.gateway.stats().sockets).toBe(1);
    expect(h.gateway.stats().topics).toEqual([]);
    expect(guildRooms(h)).toEqual({});
  });
});

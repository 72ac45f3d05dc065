import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import type { ErrorPayload } from "../../../src/protocol";
import { createManualClock } from "./manualClock";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

describe("elevation", () => {
  it("elevates with a good token and joins <SID>_auth", async () => {
    h = await startHarness();
    const c = await h.client();
    const token = await h.token("bob");
    const ret = await c.ask("request_elevation", { token }, "request_elevation_return");
    expect(ret).toMatchObject({ success: true, room: `${c.socket.id}_auth`, user_id: h.userId("bob") });
    expect(ret.expires_at).toBeGreaterThan(Date.now() / 1000);
    const stats = h.gateway.stats();
    expect(stats.elevated).toBe(1);
    expect(stats.rooms[`${c.socket.id}_auth`]).toBe(1);
  });

  it("refuses a forged token with success:false and a 401 echoing _id", async () => {
    h = await startHarness();
    const c = await h.client();
    const forged = await new SignJWT({ sub: h.userId("bob"), permissions: 0, guilds: {} })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-gateway-secret-at-all-000000"));
    const _id = c.id();
    const from = c.frames.length;
    c.send("request_elevation", { _id, token: forged });
    const ret = await c.waitFor((f) => f.event === "request_elevation_return", from);
    const err = await c.waitFor((f) => f.event === "error", from);
    expect(ret.payload).toEqual({ _id, success: false });
    expect(err.payload).toMatchObject({ _id, code: 401 });
    expect(h.gateway.stats().elevated).toBe(0);
  });

  it("refuses an expired token", async () => {
    h = await startHarness();
    const c = await h.client();
    const expired = await new SignJWT({ sub: h.userId("bob"), permissions: 0, guilds: {} })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode("test-secret-0123456789abcdef0123456789"));
    const err = await c.fails("request_elevation", { token: expired });
    expect(err).toMatchObject({ code: 401, message: "token expired" });
    expect(h.gateway.stats().elevated).toBe(0);
  });

  it("refuses an alg:none token and a token with malformed claims", async () => {
    h = await startHarness();
    const c = await h.client();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const none = `${b64({ alg: "none" })}.${b64({ sub: "1", exp: 9999999999, permissions: 0, guilds: {} })}.`;
    expect((await c.fails("request_elevation", { token: none })).code).toBe(401);
    const badClaims = await new SignJWT({ sub: "not-digits", permissions: -1, guilds: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("test-secret-0123456789abcdef0123456789"));
    expect((await c.fails("request_elevation", { token: badClaims })).message).toContain("malformed claims");
  });

  it("answers an authenticated request with a missing or malformed token 401 (PROTOCOL.md), else-bad payloads 400", async () => {
    h = await startHarness();
    const c = await h.client();
    const _id = c.id();
    const from = c.frames.length;
    c.emitRaw("pool_all_request", JSON.stringify({ _id, type: "guild" }));
    const missing = await c.waitFor((f) => f.event === "error", from);
    expect(missing.payload).toMatchObject({ _id, code: 401, message: "missing token" });
    const next = c.frames.length;
    c.emitRaw("spectate", JSON.stringify({ _id: _id + 1, token: 42, guild_id: null, include_logs: false }));
    const invalid = await c.waitFor((f) => f.event === "error", next);
    expect(invalid.payload).toMatchObject({ _id: _id + 1, code: 401 });
    expect((invalid.payload as ErrorPayload).message).toContain("invalid token");
    const token = await h.token("bob");
    // A good token with something else wrong is a bad payload, not an auth failure.
    expect(await c.fails("pool_all_request", { token, type: "nope" as never })).toMatchObject({ code: 400 });
    const notElevated = await c.fails("pool_all_request", { token, type: "guild" });
    expect(notElevated).toMatchObject({ code: 401, message: expect.stringContaining("not elevated") });
  });

  it("rejects an expired token on a request at once (401) without a reconnect", async () => {
    const clock = createManualClock(Date.now());
    h = await startHarness({ clock });
    const { client: c } = await h.userClient("bob");
    const short = await h.token("bob", 60);
    await c.ask("pool_all_request", { token: short, type: "guild" }, "pool_response");
    // Move time past the short token's exp but not the elevated token's (1 h).
    clock.advance(61_000);
    expect(await c.fails("pool_all_request", { token: short, type: "guild" })).toMatchObject({ code: 401 });
    expect(c.socket.connected).toBe(true);
  });

  it("refuses a valid token of another user on an elevated socket", async () => {
    h = await startHarness();
    const { client: c } = await h.userClient("bob");
    const carol = await h.token("carol");
    expect(await c.fails("pool_all_request", { token: carol, type: "guild" })).toMatchObject({
      code: 401,
      message: "token belongs to another user",
    });
  });

  it("drop_elevation leaves <SID>_auth and every guild room", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("bob");
    const hub = h.guildId("Architus Hub");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    expect(h.gateway.stats().rooms[`guild:${hub}`]).toBe(1);
    const ret = await c.ask("drop_elevation", {}, "drop_elevation_return");
    expect(ret.success).toBe(true);
    const stats = h.gateway.stats();
    expect(stats.elevated).toBe(0);
    expect(Object.keys(stats.rooms).filter((r) => r.startsWith("guild:") || r.endsWith("_auth"))).toEqual([]);
    expect(stats.topics).toEqual([]);
    expect((await c.fails("pool_all_request", { token, type: "guild" })).code).toBe(401);
  });

  it("pushes session_expired at the elevated token's exp and leaves every room", async () => {
    const clock = createManualClock(Date.now());
    h = await startHarness({ clock });
    const c = await h.client();
    const token = await h.token("dave", 120);
    await c.ask("request_elevation", { token }, "request_elevation_return");
    const hub = h.guildId("Architus Hub");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    const from = c.frames.length;
    clock.advance(119_000);
    expect(c.of("session_expired", from)).toEqual([]);
    clock.advance(1_000);
    const frame = await c.waitFor((f) => f.event === "session_expired", from);
    expect(frame.payload).toEqual({ reason: "token expired" });
    const stats = h.gateway.stats();
    expect(stats.elevated).toBe(0);
    expect(stats.rooms[`guild:${hub}`]).toBeUndefined();
    expect(stats.topics).toEqual([]);
  });

  it("a newer elevated token re-arms the expiry", async () => {
    const clock = createManualClock(Date.now());
    h = await startHarness({ clock });
    const c = await h.client();
    await c.ask("request_elevation", { token: await h.token("bob", 120) }, "request_elevation_return");
    clock.advance(60_000);
    await c.ask("request_elevation", { token: await h.token("bob", 120) }, "request_elevation_return");
    const from = c.frames.length;
    clock.advance(61_000);
    // The first token's exp has passed; a round trip proves no session_expired was pushed.
    await c.ask("interpret", { guild_id: "5", message_id: "2", content: "!ping" }, "interpret_return");
    expect(c.of("session_expired", from)).toEqual([]);
    expect(h.gateway.stats().elevated).toBe(1);
    clock.advance(60_000);
    await c.waitFor((f) => f.event === "session_expired", from);
    expect(h.gateway.stats().elevated).toBe(0);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { createGateway, type Gateway } from "../createGateway";
import { BAD_FRAME_EVENTS } from "../badFrames";
import { TestClient } from "./testClient";

let gateway: Gateway | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gateway?.stop();
  gateway = undefined;
});

const start = async (production = false) => {
  gateway = await createGateway({
    secret: "http-test-secret-000000000000000000",
    bigGuildMembers: 500,
    production,
    warn: () => {},
  });
  return gateway;
};
const post = (g: Gateway, path: string, body: unknown) =>
  fetch(`${g.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("HTTP endpoints", () => {
  it("GET /stats has the contracted shape", async () => {
    const g = await start();
    const c = new TestClient(g.url);
    clients.push(c);
    await c.connected();
    await c.ask("interpret", { guild_id: "1", message_id: "2", content: "!ping" }, "interpret_return");
    c.emitRaw("interpret", 5);
    await c.waitFor((f) => f.event === "error");
    const res = await fetch(`${g.url}/stats`);
    expect(res.status).toBe(200);
    const stats = await res.json();
    expect(stats).toMatchObject({
      sockets: 1,
      elevated: 0,
      topics: [],
      requests: { interpret: 2 },
      errors: { "400": 1 },
    });
    expect(stats.rooms[c.socket.id!]).toBe(1);
  });

  it("dev endpoints: dataset, token, activity, rate", async () => {
    const g = await start();
    const dataset = await (await fetch(`${g.url}/dev/dataset`)).json();
    expect(dataset.users.map((u: { name: string }) => u.name)).toEqual(["alice", "bob", "carol", "dave"]);
    expect(dataset.guilds).toHaveLength(4);
    const hub = dataset.guilds.find((x: { name: string }) => x.name === "Architus Hub");
    expect(hub.member_count).toBe(500);
    const bob = dataset.users.find((u: { name: string }) => u.name === "bob");
    expect(Object.values(bob.guilds)).toEqual([0x112, 0x112]);

    const tokenRes = await post(g, "/dev/token", { user_id: bob.id, ttl_s: 60 });
    const { token } = await tokenRes.json();
    const claims = await g.auth.verify(token);
    expect(claims).toMatchObject({ sub: bob.id, guilds: bob.guilds });
    expect(claims.exp - claims.iat).toBe(60);

    const c = new TestClient(g.url);
    clients.push(c);
    await c.connected();
    await c.ask("request_elevation", { token }, "request_elevation_return");
    await c.ask("spectate", { token, guild_id: hub.id, include_logs: true }, "spectate_return");
    const act = await (
      await post(g, "/dev/activity", { guild_id: hub.id, kind: "message", count: 3 })
    ).json();
    expect(act).toEqual({ published: 3 });
    await c.waitFor((f) => f.event === "log_other" && (f.payload as { seq: number }).seq === 3);

    expect(await (await post(g, "/dev/rate", { events_per_second: 50 })).json()).toEqual({
      events_per_second: 50,
    });
    expect(g.stats().activity_rate).toBe(50);
    await c.waitFor((f) => f.event === "log_other" && (f.payload as { seq: number }).seq >= 4);
    await post(g, "/dev/rate", { events_per_second: 0 });
    expect(g.stats().activity_rate).toBe(0);
  });

  it("dev endpoints answer clear 4xx on bad input", async () => {
    const g = await start();
    expect((await post(g, "/dev/token", { user_id: "12" })).status).toBe(404);
    expect((await post(g, "/dev/token", { user_id: "abc" })).status).toBe(400);
    expect((await post(g, "/dev/activity", { guild_id: "1", kind: "message", count: 1 })).status).toBe(404);
    expect((await post(g, "/dev/activity", { guild_id: "1", kind: "nope", count: 1 })).status).toBe(400);
    expect((await post(g, "/dev/rate", { events_per_second: -1 })).status).toBe(400);
    const bad = await fetch(`${g.url}/dev/rate`, { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await fetch(`${g.url}/nope`)).status).toBe(404);
  });

  it("--production turns the dev endpoints off and refuses to start without a secret", async () => {
    const g = await start(true);
    expect((await fetch(`${g.url}/dev/dataset`)).status).toBe(404);
    expect((await post(g, "/dev/token", { user_id: "1" })).status).toBe(404);
    expect((await post(g, "/dev/fault", { kind: "drop_sockets" })).status).toBe(404);
    expect((await fetch(`${g.url}/stats`)).status).toBe(200);
    const saved = process.env.GATEWAY_JWT_SECRET;
    delete process.env.GATEWAY_JWT_SECRET;
    try {
      await expect(createGateway({ production: true })).rejects.toThrow(/GATEWAY_JWT_SECRET/);
    } finally {
      if (saved !== undefined) process.env.GATEWAY_JWT_SECRET = saved;
    }
  });

  it("POST /dev/fault bad_frames sends every socket malformed frames of every event; bad bodies are refused", async () => {
    const g = await start();
    const c = new TestClient(g.url);
    clients.push(c);
    await c.connected();
    const guild = [...g.context.dataset.guilds.values()][0]!.id;
    const other = [...g.context.dataset.guilds.values()][1]!.id;
    const res = await post(g, "/dev/fault", {
      kind: "bad_frames",
      per_event: 20,
      guild_id: guild,
      other_guild_id: other,
    });
    expect(res.status).toBe(200);
    const { sent } = (await res.json()) as { sent: number };
    expect(sent).toBe(20 * BAD_FRAME_EVENTS.length);
    await c.waitFor(() => c.frames.length >= sent);
    expect(new Set(c.frames.map((f) => f.event))).toEqual(new Set(BAD_FRAME_EVENTS));
    // The test client checks frames against the protocol: these break it.
    expect(c.violations.length).toBeGreaterThan(sent / 2);
    for (const body of [
      { kind: "bad_frames", per_event: 0, guild_id: guild, other_guild_id: other },
      { kind: "bad_frames", per_event: 10, guild_id: "x", other_guild_id: other },
      { kind: "nope" },
    ])
      expect((await post(g, "/dev/fault", body)).status).toBe(400);
  });
});

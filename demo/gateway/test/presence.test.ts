import { afterEach, describe, expect, it } from "vitest";
import type { LogPresencePayload, Member, PoolResponsePayload, PresenceStatus } from "../../../src/protocol";
import { presenceTopic } from "../broker";
import { withStatus } from "../dataset/guildPresence";
import { PRESENCE_FLUSH_MS } from "../presenceFlusher";
import { startHarness, type Harness } from "./harness";
import type { TestClient } from "./testClient";

let h: Harness;
afterEach(async () => h?.stop());

/** The members of a guild online in the dataset, with their status. */
const onlineOf = (h: Harness, guildId: string): Map<string, PresenceStatus> =>
  new Map(h.gateway.context.dataset.guilds.get(guildId)!.presence.online());

/** Every frame of a whole-pool answer, once its last one arrived. */
async function wholeAnswer(c: TestClient, payload: object): Promise<PoolResponsePayload[]> {
  const _id = c.id();
  const from = c.frames.length;
  c.send("pool_all_request", { _id, ...payload } as never);
  await c.waitFor((f) => {
    const p = f.payload as PoolResponsePayload;
    return f.event === "pool_response" && p._id === _id && p.finished;
  }, from);
  return c.of("pool_response", from).filter((p) => p._id === _id);
}

/** Presence frames received so far, from frame index `from`. */
const presenceFrames = (c: TestClient, from = 0) => c.of("log_presence", from);

describe("presence (PROTOCOL.md Extension 2)", () => {
  it("is negotiated: echoed with the presence seq when asked, nothing when not", async () => {
    h = await startHarness();
    const small = h.guildId("Small Talk");
    const { client: c, token } = await h.userClient("bob");
    const plain = await c.ask("spectate", { token, guild_id: small, include_logs: false }, "spectate_return");
    expect(plain.include_presence).toBeUndefined();
    expect(plain.presence_seq).toBeUndefined();
    // Without include_presence no presence frame arrives, however presence changes.
    await h.gateway.activity.publish(small, "presence", 5);
    await new Promise((r) => setTimeout(r, PRESENCE_FLUSH_MS + 200));
    expect(presenceFrames(c)).toEqual([]);

    const asked = await c.ask(
      "spectate",
      { token, guild_id: small, include_logs: false, include_presence: true },
      "spectate_return",
    );
    const latest = h.gateway.context.events.latest(presenceTopic(small));
    expect(latest).toBeGreaterThan(0);
    expect(asked).toMatchObject({ success: true, include_presence: true, presence_seq: latest });
    // No guild: the capability is still said (a client learns it without spectating).
    const none = await c.ask(
      "spectate",
      { token, guild_id: null, include_logs: false, include_presence: true },
      "spectate_return",
    );
    expect(none).toMatchObject({ guild_id: null, include_presence: true, presence_seq: 0 });
  });

  it("gives every member it sends its status: pool answers, search, log_pool updates", async () => {
    h = await startHarness();
    const small = h.guildId("Small Talk");
    const record = h.gateway.context.dataset.guilds.get(small)!;
    const { client: c, token } = await h.userClient("bob");
    const whole = await wholeAnswer(c, { token, type: "member", guild_id: small });
    const members = whole.flatMap((f) => f.data) as Member[];
    expect(members.length).toBe(record.pools.member.size);
    for (const m of members) expect(m.status).toBe(record.presence.statusOf(m.id));
    expect(members.filter((m) => m.status !== "offline").length).toBe(record.presence.size);
    expect(record.presence.size).toBeGreaterThan(0);

    const ids = members.slice(0, 5).map((m) => m.id);
    const byId = await c.ask(
      "pool_request",
      { token, type: "member", guild_id: small, ids },
      "pool_response",
    );
    expect(byId.data).toEqual(ids.map((id) => withStatus(record.pools.member.get(id)!, record.presence)));
    const name = members[0]!.name.slice(0, 4);
    const found = await c.ask(
      "pool_search_request",
      { token, type: "member", guild_id: small, query: name },
      "pool_response",
    );
    expect(found.data.length).toBeGreaterThan(0);
    for (const m of found.data as Member[]) expect(m.status).toBe(record.presence.statusOf(m.id));

    await c.ask("spectate", { token, guild_id: small, include_logs: false }, "spectate_return");
    const from = c.frames.length;
    // Pool changes, a quarter of them nickname changes (member updates).
    await h.gateway.activity.publish(small, "pool_update", 60);
    const last = h.gateway.context.events.latest(small);
    await c.waitFor((f) => f.event === "log_pool" && (f.payload as { seq: number }).seq === last, from);
    const memberUpdates = c.of("log_pool", from).flatMap((e) => e.updates.filter((u) => u.type === "member"));
    expect(memberUpdates.length).toBeGreaterThan(0);
    for (const u of memberUpdates) expect((u.entity as Member).status).toBe(record.presence.statusOf(u.id));
  });

  it("the online snapshot: exactly the online members, every frame with filter and presence_seq", async () => {
    h = await startHarness({ bigGuildMembers: 20_000 });
    const hub = h.guildId("Architus Hub");
    const online = onlineOf(h, hub);
    // 10 % of the hub is online, idle and dnd among them.
    expect(online.size).toBeGreaterThan(1500);
    expect(online.size).toBeLessThan(2500);
    expect(new Set(online.values())).toEqual(new Set(["online", "idle", "dnd"]));
    const { client: c, token } = await h.userClient("bob");
    const frames = await wholeAnswer(c, { token, type: "member", guild_id: hub, filter: "online" });
    expect(frames.length).toBe(Math.ceil(online.size / 1000));
    for (const f of frames) {
      expect(f).toMatchObject({ filter: "online", presence_seq: 0, total: online.size });
      expect(f.data.length).toBeLessThanOrEqual(1000);
    }
    const members = frames.flatMap((f) => f.data) as Member[];
    expect(new Map(members.map((m) => [m.id, m.status]))).toEqual(online);
  });

  it("refuses filter with 400 anywhere but a member pool_all_request, and any value but online", async () => {
    h = await startHarness();
    const small = h.guildId("Small Talk");
    const { client: c, token } = await h.userClient("bob");
    const cases: [string, object][] = [
      ["pool_all_request", { token, type: "channel", guild_id: small, filter: "online" }],
      ["pool_all_request", { token, type: "member", guild_id: small, filter: "offline" }],
      ["pool_all_request", { token, type: "member", guild_id: small, filter: "" }],
      ["pool_request", { token, type: "member", guild_id: small, ids: ["1"], filter: "online" }],
      ["pool_search_request", { token, type: "member", guild_id: small, query: "a", filter: "online" }],
    ];
    for (const [event, payload] of cases) {
      const error = await c.fails(event as "pool_all_request", payload as never);
      expect(error.code, `${event} ${JSON.stringify(payload)}`).toBe(400);
    }
  });

  it("frames reach presence spectators within a flush, each update the published status; a burst splits within the limits", async () => {
    h = await startHarness({ bigGuildMembers: 20_000 });
    const hub = h.guildId("Architus Hub");
    const record = h.gateway.context.dataset.guilds.get(hub)!;
    const { client: c, token } = await h.userClient("bob");
    await c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: false, include_presence: true },
      "spectate_return",
    );
    const before = onlineOf(h, hub);
    expect(await h.gateway.activity.publish(hub, "presence", 3000)).toBe(3000);
    await c.waitFor(
      (f) => f.event === "log_presence" && (f.payload as LogPresencePayload).updates.length > 0,
    );
    await new Promise((r) => setTimeout(r, 300));
    const frames = presenceFrames(c);
    const raws = c.frames.filter((f) => f.event === "log_presence").map((f) => f.raw as string);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
    expect(frames.length).toBeGreaterThan(1);
    for (const [i, f] of frames.entries()) {
      expect(f.updates.length).toBeLessThanOrEqual(1000);
      expect(Buffer.byteLength(raws[i]!)).toBeLessThanOrEqual(64 * 1024);
    }
    const updates = frames.flatMap((f) => f.updates);
    // Each member once, with the status the gateway now publishes; the whole member when it came online.
    expect(new Set(updates.map((u) => u.id)).size).toBe(updates.length);
    for (const u of updates) {
      expect(u.status).toBe(record.presence.statusOf(u.id));
      const wasOffline = !before.has(u.id);
      expect(u.member !== undefined).toBe(wasOffline && u.status !== "offline");
      if (u.member) expect(u.member).toEqual(withStatus(record.pools.member.get(u.id)!, record.presence));
    }
    // Applied on the snapshot they follow, the frames give the published presence.
    const after = new Map(before);
    for (const u of updates)
      if (u.status === "offline") after.delete(u.id);
      else after.set(u.id, u.status);
    expect(after).toEqual(onlineOf(h, hub));
    // The snapshot now says the same, at the latest seq.
    const snapshot = await wholeAnswer(c, { token, type: "member", guild_id: hub, filter: "online" });
    expect(snapshot[0]?.presence_seq).toBe(frames.at(-1)?.seq);
    expect(new Map(snapshot.flatMap((f) => f.data as Member[]).map((m) => [m.id, m.status]))).toEqual(after);
  });

  it("replays presence frames after since.presence (counted in replayed), or says -1 when too old", async () => {
    h = await startHarness();
    const small = h.guildId("Small Talk");
    const { client: c, token } = await h.userClient("bob");
    const spectate = (since?: number) =>
      c.ask(
        "spectate",
        {
          token,
          guild_id: small,
          include_logs: false,
          include_presence: true,
          ...(since !== undefined ? { since: { presence: since } } : {}),
        },
        "spectate_return",
      );
    await spectate();
    // Three frames (or more) while this socket was away from the guild. (A flush whose changes
    // all ended where they started has no frame.)
    await c.ask("spectate", { token, guild_id: null, include_logs: false }, "spectate_return");
    const seq = () => h.gateway.context.events.latest(presenceTopic(small));
    while (seq() < 3) {
      await h.gateway.activity.publish(small, "presence", 2);
      await new Promise((r) => setTimeout(r, PRESENCE_FLUSH_MS + 50));
    }
    const latest = seq();
    expect(presenceFrames(c)).toEqual([]);
    const from = c.frames.length;
    const back = await spectate(1);
    expect(back).toMatchObject({ include_presence: true, presence_seq: latest, replayed: latest - 1 });
    await c.waitFor(
      (f) => f.event === "log_presence" && (f.payload as LogPresencePayload).seq === latest,
      from,
    );
    expect(presenceFrames(c, from).map((f) => f.seq)).toEqual(
      Array.from({ length: latest - 1 }, (_, i) => i + 2),
    );
    // A seq the gateway never had: refetch.
    expect((await spectate(99)).replayed).toBe(-1);
  });

  it("a gateway without the extension: no echo, no status, no frames, and filter is ignored", async () => {
    h = await startHarness({ presence: false });
    const small = h.guildId("Small Talk");
    const record = h.gateway.context.dataset.guilds.get(small)!;
    const { client: c, token } = await h.userClient("bob");
    const ret = await c.ask(
      "spectate",
      { token, guild_id: small, include_logs: false, include_presence: true },
      "spectate_return",
    );
    expect(ret.include_presence).toBeUndefined();
    expect(ret.presence_seq).toBeUndefined();
    const frames = await wholeAnswer(c, { token, type: "member", guild_id: small, filter: "online" });
    // The whole pool: why a client must never send filter before the gateway said it has presence.
    expect(frames.flatMap((f) => f.data)).toEqual([...record.pools.member.values()]);
    expect(frames[0]?.filter).toBeUndefined();
    // Member changes pushed by log_pool carry no status either.
    const from = c.frames.length;
    await h.gateway.activity.publish(small, "pool_update", 60);
    const last = h.gateway.context.events.latest(small);
    await c.waitFor((f) => f.event === "log_pool" && (f.payload as { seq: number }).seq === last, from);
    const memberUpdates = c.of("log_pool", from).flatMap((e) => e.updates.filter((u) => u.type === "member"));
    expect(memberUpdates.length).toBeGreaterThan(0);
    for (const u of memberUpdates) expect(u.entity).not.toHaveProperty("status");
    await h.gateway.activity.publish(small, "presence", 5);
    await new Promise((r) => setTimeout(r, PRESENCE_FLUSH_MS + 200));
    expect(presenceFrames(c)).toEqual([]);
  });
});

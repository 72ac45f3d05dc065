import { afterEach, describe, expect, it } from "vitest";
import type { Member, PoolResponsePayload } from "../../../src/protocol";
import { withStatus } from "../dataset/guildPresence";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

describe("pools", () => {
  it("streams a 50,000-member pool in chunks of ≤ 1,000 with total, equal to the dataset", async () => {
    h = await startHarness({ bigGuildMembers: 50_000 });
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("bob");
    const _id = c.id();
    const from = c.frames.length;
    c.send("pool_all_request", { _id, token, type: "member", guild_id: hub });
    await c.waitFor(
      (f) =>
        f.event === "pool_response" &&
        (f.payload as PoolResponsePayload)._id === _id &&
        (f.payload as PoolResponsePayload).finished,
      from,
      30_000,
    );
    const frames = c.of("pool_response", from).filter((p) => p._id === _id);
    expect(frames).toHaveLength(50);
    for (const f of frames) {
      expect(f.data.length).toBeLessThanOrEqual(1000);
      expect(f.total).toBe(50_000);
    }
    expect(frames.map((f) => f.finished)).toEqual([...Array(49).fill(false), true]);
    const ids = frames.flatMap((f) => f.data.map((m) => m.id));
    expect(new Set(ids).size).toBe(50_000);
    const record = h.gateway.context.dataset.guilds.get(hub)!;
    const pool = record.pools.member;
    expect(pool.size).toBe(50_000);
    // Every member with its presence (Extension 2).
    expect(frames.flatMap((f) => f.data)).toEqual(
      [...pool.values()].map((m) => withStatus(m, record.presence)),
    );
  });

  it("a small pool comes in one frame with finished and total; every guild pool type answers", async () => {
    h = await startHarness();
    const small = h.guildId("Small Talk");
    const { client: c, token } = await h.userClient("bob");
    const record = h.gateway.context.dataset.guilds.get(small)!;
    for (const type of [
      "member",
      "channel",
      "role",
      "customEmoji",
      "autoResponse",
      "settingValue",
    ] as const) {
      const r = await c.ask("pool_all_request", { token, type, guild_id: small }, "pool_response");
      expect(r).toMatchObject({
        type,
        guild_id: small,
        finished: true,
        total: record.pools[type].size,
        nonexistent: [],
      });
      const entities = [...record.pools[type].values()];
      expect(r.data).toEqual(
        type === "member" ? entities.map((m) => withStatus(m as Member, record.presence)) : entities,
      );
    }
  });

  it("pool_request answers found entities and lists the nonexistent ids", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("bob");
    const record = h.gateway.context.dataset.guilds.get(hub)!;
    const members = [...record.pools.member.values()].slice(0, 3);
    const ids = [...members.map((m) => m.id), "1", "99999999999999999999", members[0]!.id];
    const r = await c.ask("pool_request", { token, type: "member", guild_id: hub, ids }, "pool_response");
    expect(r.data).toEqual(members.map((m) => withStatus(m, record.presence)));
    expect(r.nonexistent).toEqual(["1", "99999999999999999999"]);
    expect(r.finished).toBe(true);
  });

  it("more than 1,000 ids → 413; bad ids → 400", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("bob");
    const ids = Array.from({ length: 1001 }, (_, i) => String(i + 1));
    expect((await c.fails("pool_request", { token, type: "member", guild_id: hub, ids })).code).toBe(413);
    expect((await c.fails("pool_request", { token, type: "member", guild_id: hub, ids: ["12a"] })).code).toBe(
      400,
    );
    const r = await c.ask(
      "pool_request",
      { token, type: "member", guild_id: hub, ids: ids.slice(0, 1000) },
      "pool_response",
    );
    expect(r.nonexistent).toHaveLength(1000);
  });

  it("guild pool: only the token's guilds, seen with the user's own permissions", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("bob");
    const bob = h.gateway.context.dataset.demoUsers.find((u) => u.name === "bob")!;
    const r = await c.ask("pool_all_request", { token, type: "guild" }, "pool_response");
    expect(r.data.map((g) => g.id).sort()).toEqual(Object.keys(bob.guilds).sort());
    for (const g of r.data as { id: string; permissions: number; architus_admin: boolean }[]) {
      expect(g.permissions).toBe(0x112);
      expect(g.architus_admin).toBe(false);
    }
    const midnight = h.guildId("Midnight Guild");
    const byId = await c.ask("pool_request", { token, type: "guild", ids: [midnight] }, "pool_response");
    expect(byId).toMatchObject({ data: [], nonexistent: [midnight] });
  });

  it("user pool: by id only (pool_all_request is a 400)", async () => {
    h = await startHarness();
    const { client: c, token, userId } = await h.userClient("bob");
    const r = await c.ask("pool_request", { token, type: "user", ids: [userId, "7"] }, "pool_response");
    expect(r.data).toEqual([h.gateway.context.dataset.users.get(userId)]);
    expect(r.nonexistent).toEqual(["7"]);
    expect((await c.fails("pool_all_request", { token, type: "user" })).code).toBe(400);
  });

  it("scope errors: guild pool without guild_id 400, agnostic pool with guild_id 400, other guild 403", async () => {
    h = await startHarness();
    const { client: c, token } = await h.userClient("bob");
    expect((await c.fails("pool_all_request", { token, type: "role" })).code).toBe(400);
    expect((await c.fails("pool_all_request", { token, type: "guild", guild_id: "5" })).code).toBe(400);
    const midnight = h.guildId("Midnight Guild");
    expect((await c.fails("pool_all_request", { token, type: "role", guild_id: midnight })).code).toBe(403);
    expect(
      (await c.fails("pool_request", { token, type: "nope" as "role", guild_id: midnight, ids: [] })).code,
    ).toBe(400);
  });

  it("search ranks members by name/nick match, best first, with limit", async () => {
    h = await startHarness({ bigGuildMembers: 50_000 });
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("bob");
    const pool = [...h.gateway.context.dataset.guilds.get(hub)!.pools.member.values()];
    const target = pool[1234]!;
    const query = target.name.toUpperCase();
    const r = await c.ask(
      "pool_search_request",
      { token, type: "member", guild_id: hub, query, limit: 10 },
      "pool_response",
    );
    expect(r.data.length).toBeGreaterThan(0);
    expect(r.data.length).toBeLessThanOrEqual(10);
    expect(r.total).toBe(r.data.length);
    const names = (m: Member) => [m.name, m.nick ?? ""].map((s) => s.toLowerCase());
    // The exact match comes first; the rest all contain the query at least as a subsequence.
    expect(names(r.data[0] as Member)).toContain(query.toLowerCase());
    expect(r.data.map((m) => m.id)).toContain(target.id);
    const prefix = target.name.slice(0, 3);
    const p = await c.ask(
      "pool_search_request",
      { token, type: "member", guild_id: hub, query: prefix },
      "pool_response",
    );
    expect(p.data).toHaveLength(20);
    for (const m of p.data as Member[])
      expect(names(m).some((n) => n.startsWith(prefix.toLowerCase()))).toBe(true);
    const none = await c.ask(
      "pool_search_request",
      { token, type: "member", guild_id: hub, query: "zzzzqqqqxxxx" },
      "pool_response",
    );
    expect(none.data).toEqual([]);
    expect(
      (await c.fails("pool_search_request", { token, type: "member", guild_id: hub, query: "a", limit: 101 }))
        .code,
    ).toBe(400);
  });

  it("a fetch after a pushed update agrees with the push", async () => {
    h = await startHarness();
    const small = h.guildId("Small Talk");
    const { client: c, token } = await h.userClient("alice");
    await c.ask("spectate", { token, guild_id: small, include_logs: false }, "spectate_return");
    await h.gateway.activity.publish(small, "pool_update", 30);
    await c.waitFor((f) => f.event === "log_pool" && (f.payload as { seq: number }).seq === 30);
    for (const event of c.of("log_pool"))
      for (const u of event.updates) {
        const r = await c.ask(
          "pool_request",
          {
            token,
            type: u.type,
            ...(u.type === "guild" || u.type === "user" ? {} : { guild_id: small }),
            ids: [u.id],
          },
          "pool_response",
        );
        const later = c
          .of("log_pool")
          .filter((e) => e.seq > event.seq && e.updates.some((x) => x.type === u.type && x.id === u.id));
        if (later.length > 0) continue; // superseded by a later push
        if (u.op === "remove") expect(r.nonexistent).toEqual([u.id]);
        else expect(r.data).toEqual([u.entity]);
      }
  });
});

import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { clientPayloadSchemas, parsePayload, serverPayloadSchemas } from "./index";

describe("parsePayload", () => {
  const schema = clientPayloadSchemas.request_elevation;

  it("accepts a valid JSON string and gives the typed value", () => {
    expect(parsePayload(schema, JSON.stringify({ _id: 3, token: "a.b.c" }))).toEqual({
      ok: true,
      value: { _id: 3, token: "a.b.c" },
    });
  });

  it("refuses non-strings, non-JSON and wrong shapes with 400, echoing a valid _id", () => {
    expect(parsePayload(schema, { _id: 3, token: "a.b.c" })).toMatchObject({
      ok: false,
      error: { code: 400, message: "payload must be a JSON string, got object" },
    });
    expect(parsePayload(schema, "{nope")).toMatchObject({ ok: false, error: { code: 400 } });
    const wrong = parsePayload(schema, JSON.stringify({ _id: 9, token: 5 }));
    expect(wrong).toMatchObject({ ok: false, error: { _id: 9, code: 400 } });
    expect(wrong.ok ? "" : wrong.error.message).toContain("token");
    const badId = parsePayload(schema, JSON.stringify({ _id: -1, token: "a.b.c" }));
    expect(badId.ok ? null : badId.error._id).toBeUndefined();
  });

  it("refuses payloads over the byte cap with 413, counting UTF-8 bytes", () => {
    expect(parsePayload(schema, "x".repeat(101), 100)).toMatchObject({ ok: false, error: { code: 413 } });
    // 40 three-byte characters: 40 string units but 120 bytes.
    expect(parsePayload(schema, JSON.stringify("€".repeat(40)), 100)).toMatchObject({
      ok: false,
      error: { code: 413 },
    });
    expect(parsePayload(schema, JSON.stringify({ _id: 1, token: "a.b.c" }), 100).ok).toBe(true);
  });
});

describe("client payload schemas", () => {
  const ok = (event: keyof typeof clientPayloadSchemas, value: unknown) =>
    expect(v.safeParse(clientPayloadSchemas[event], value).success).toBe(true);
  const bad = (event: keyof typeof clientPayloadSchemas, value: unknown) =>
    expect(v.safeParse(clientPayloadSchemas[event], value).success).toBe(false);

  it("pool scope rules", () => {
    ok("pool_all_request", { _id: 1, token: "a.b.c", type: "member", guild_id: "5" });
    bad("pool_all_request", { _id: 1, token: "a.b.c", type: "member" });
    ok("pool_all_request", { _id: 1, token: "a.b.c", type: "guild" });
    bad("pool_all_request", { _id: 1, token: "a.b.c", type: "guild", guild_id: "5" });
    bad("pool_all_request", { _id: 1, token: "a.b.c", type: "user" });
    ok("pool_request", { _id: 1, token: "a.b.c", type: "user", ids: ["1", "2"] });
    ok("pool_request", { _id: 1, token: "a.b.c", type: "settingValue", guild_id: "5", ids: ["prefix"] });
    bad("pool_request", { _id: 1, token: "a.b.c", type: "member", guild_id: "5", ids: ["prefix"] });
    bad("pool_request", { _id: 1, token: "a.b.c", type: "member", guild_id: "5", ids: [12] });
  });

  it("interpret rules: mock guild, even message id, bounded content", () => {
    ok("interpret", { _id: 1, guild_id: "9999999", message_id: "2", content: "hi" });
    bad("interpret", { _id: 1, guild_id: "10000000", message_id: "2", content: "hi" });
    bad("interpret", { _id: 1, guild_id: "1", message_id: "3", content: "hi" });
    bad("interpret", { _id: 1, guild_id: "abc", message_id: "x", content: "hi" });
    bad("interpret", { _id: 1, guild_id: "1", message_id: "2", content: "x".repeat(2001) });
  });

  it("spectate rules", () => {
    ok("spectate", { _id: 1, token: "a.b.c", guild_id: null, include_logs: false });
    ok("spectate", {
      _id: 1,
      token: "a.b.c",
      guild_id: "7",
      include_logs: true,
      since: { pool: 0, logs: 12 },
    });
    bad("spectate", { _id: 1, token: "a.b.c", guild_id: "7" });
    bad("spectate", { _id: 1, token: "a.b.c", guild_id: "7", include_logs: true, since: { pool: -1 } });
    bad("pool_search_request", {
      _id: 1,
      token: "a.b.c",
      type: "member",
      guild_id: "7",
      query: "a",
      limit: 0,
    });
  });
});

describe("server payload schemas", () => {
  const member = {
    id: "11",
    name: "n",
    nick: null,
    avatar: null,
    discriminator: "0001",
    roles: ["7"],
    color: null,
    joined_at: "2019-05-17T01:23:45.678000+00:00",
  };
  const action = {
    id: "1",
    action_number: 3001,
    timestamp: 1,
    guild_id: "7",
    private: false,
    reversible: false,
  };

  it("pool_response checks entities against their pool type", () => {
    const frame = {
      _id: 1,
      type: "member",
      guild_id: "7",
      data: [member],
      nonexistent: [],
      finished: true,
      total: 1,
    };
    expect(v.safeParse(serverPayloadSchemas.pool_response, frame).success).toBe(true);
    expect(v.safeParse(serverPayloadSchemas.pool_response, { ...frame, type: "role" }).success).toBe(false);
    expect(
      v.safeParse(serverPayloadSchemas.pool_response, { ...frame, data: [{ ...member, id: 11 }] }).success,
    ).toBe(false);
  });

  it("log_pool updates: add/update carry the entity of the same id, remove none", () => {
    const ok = {
      guild_id: "7",
      seq: 1,
      action,
      updates: [{ type: "member", op: "update", id: "11", entity: member }],
    };
    expect(v.safeParse(serverPayloadSchemas.log_pool, ok).success).toBe(true);
    const mismatch = { ...ok, updates: [{ type: "member", op: "update", id: "12", entity: member }] };
    expect(v.safeParse(serverPayloadSchemas.log_pool, mismatch).success).toBe(false);
    const removeWithEntity = { ...ok, updates: [{ type: "member", op: "remove", id: "11", entity: member }] };
    expect(v.safeParse(serverPayloadSchemas.log_pool, removeWithEntity).success).toBe(false);
    expect(v.safeParse(serverPayloadSchemas.log_pool, { ...ok, seq: 0 }).success).toBe(false);
  });

  it("error and spectate_return", () => {
    expect(v.safeParse(serverPayloadSchemas.error, { code: 429, message: "slow down" }).success).toBe(true);
    expect(v.safeParse(serverPayloadSchemas.error, { code: 418, message: "teapot" }).success).toBe(false);
    const ret = {
      _id: 1,
      success: true,
      guild_id: "7",
      include_logs: true,
      pool_seq: 3,
      logs_seq: 0,
      replayed: -1,
    };
    expect(v.safeParse(serverPayloadSchemas.spectate_return, ret).success).toBe(true);
    expect(v.safeParse(serverPayloadSchemas.spectate_return, { ...ret, replayed: -2 }).success).toBe(false);
  });
});

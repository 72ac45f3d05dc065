import { isFulfilled, isPending, isRejected } from "@reduxjs/toolkit";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "../shared/GatewayError";
import { channel, tokenFor } from "./test/fakeClient";
import { settle, testStore } from "./test/testStore";

const guildId = "100";
const spec = { pool: "channel" as const, guildId };
let current: ReturnType<typeof testStore> | null = null;
const open = () => (current = testStore());
afterEach(() => {
  if (!current) return;
  current.restore();
  expect(current.warnings).toEqual([]);
  current = null;
});

/** The actions of one request, in order: their types, requestIds and args. */
const lifecycleOf = (t: ReturnType<typeof testStore>, name: string) =>
  t.seen
    .filter((a) => a.type.startsWith(`gateway/${name}/`))
    .map((a) => ({
      type: a.type,
      meta: a.meta as { requestId: string; arg: unknown; requestStatus: string },
    }));

describe("request-shaped calls dispatch pending, then fulfilled or rejected (RTK's convention)", () => {
  it("login: meta.arg is {userId}; dispatch returns a Promise of the settled action", async () => {
    const t = open();
    const token = tokenFor("42");
    const settled = await t.store.dispatch(t.gateway.actions.login(token));
    expect(settled.type).toBe("gateway/login/fulfilled");
    expect(t.gateway.actions.login.fulfilled.match(settled)).toBe(true);
    expect(isFulfilled(settled)).toBe(true);
    const [pending, fulfilled] = lifecycleOf(t, "login");
    expect(pending?.type).toBe("gateway/login/pending");
    expect(isPending(t.seen.find((a) => a.type === "gateway/login/pending"))).toBe(true);
    expect(fulfilled?.type).toBe("gateway/login/fulfilled");
    expect(pending?.meta.requestId).toEqual(expect.any(String));
    expect(fulfilled?.meta.requestId).toBe(pending?.meta.requestId);
    expect(pending?.meta.arg).toEqual({ userId: "42" });
    expect(fulfilled?.meta.arg).toEqual({ userId: "42" });
    expect(settled.type === "gateway/login/fulfilled" && settled.payload).toMatchObject({
      status: "authenticated",
      userId: "42",
    });
    // The command itself never reaches the reducers; the client got the token.
    expect(t.types()).not.toContain("gateway/login");
    expect(t.fake.calls.filter((c) => c.method === "login")).toEqual([{ method: "login", args: [token] }]);
    await settle();
    expect(t.gateway.selectors.session(t.store.getState())).toMatchObject({ userId: "42" });
  });

  it("a refused login: rejected with a plain {code, message}", async () => {
    const t = open();
    t.fake.answers.login = () => Promise.reject(new GatewayError(401, "token refused"));
    const settled = await t.store.dispatch(t.gateway.actions.login(tokenFor("42")));
    expect(lifecycleOf(t, "login").map((a) => a.type)).toEqual([
      "gateway/login/pending",
      "gateway/login/rejected",
    ]);
    expect(isRejected(settled)).toBe(true);
    expect(settled).toMatchObject({
      type: "gateway/login/rejected",
      error: { code: 401, message: "token refused" },
    });
    const error = (settled as { error: object }).error;
    expect(error).not.toBeInstanceOf(Error);
    expect(Object.keys(error).sort()).toEqual(["code", "message"]);
  });

  it("a malformed token: only gateway/login/rejected (bad_input); the client is not called", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.start());
    await settle();
    const before = t.seen.length;
    for (const token of ["not a jwt", "a.b.c", `x.${btoa("{}")}.y`, `x.${btoa('{"sub":"alice"}')}.y`]) {
      const settled = await t.store.dispatch(t.gateway.actions.login(token));
      expect(settled).toMatchObject({ type: "gateway/login/rejected", error: { code: "bad_input" } });
      expect(settled.meta.arg).toEqual({ userId: null });
    }
    expect(t.seen.slice(before).map((a) => a.type)).toEqual(Array(4).fill("gateway/login/rejected"));
    expect(t.fake.calls.filter((c) => c.method === "login")).toEqual([]);
  });

  it("a hand-made login action (no token behind it) is rejected bad_input", async () => {
    const t = open();
    const settled = (await t.store.dispatch({
      type: "gateway/login",
      payload: { userId: "1" },
    } as never)) as {
      type: string;
      error: { code: unknown };
    };
    expect(settled.type).toBe("gateway/login/rejected");
    expect(settled.error.code).toBe("bad_input");
    expect(t.fake.calls).toEqual([]);
  });

  it("logout, spectate and interpret", async () => {
    const t = open();
    await t.store.dispatch(t.gateway.actions.login(tokenFor("42")));
    const spectated = await t.store.dispatch(t.gateway.actions.spectate(guildId, { includeLogs: false }));
    expect(spectated).toMatchObject({
      type: "gateway/spectate/fulfilled",
      payload: { guildId, mine: true },
      meta: { arg: { guildId, includeLogs: false } },
    });
    t.fake.answers.spectate = () => Promise.reject(new GatewayError(403, "no access"));
    expect(await t.store.dispatch(t.gateway.actions.spectate("7"))).toMatchObject({
      type: "gateway/spectate/rejected",
      error: { code: 403, message: "no access" },
      meta: { arg: { guildId: "7" } },
    });
    const message = { guild_id: 1, message_id: 2, content: "!echo hi", allowed_commands: [] } as never;
    expect(await t.store.dispatch(t.gateway.actions.interpret(message))).toMatchObject({
      type: "gateway/interpret/fulfilled",
      payload: { guild_id: 1, actions: [] },
      meta: { arg: message },
    });
    expect(await t.store.dispatch(t.gateway.actions.logout())).toMatchObject({
      type: "gateway/logout/fulfilled",
      payload: null,
    });
    for (const name of ["spectate", "interpret", "logout"]) {
      const actions = lifecycleOf(t, name);
      expect(actions.length % 2).toBe(0);
      for (let i = 0; i < actions.length; i += 2) {
        expect(actions[i]?.type).toBe(`gateway/${name}/pending`);
        expect(actions[i + 1]?.meta.requestId).toBe(actions[i]?.meta.requestId);
      }
    }
    expect(t.types()).not.toContain("gateway/spectate");
  });

  it("a pool's first load: pending at subscribe, fulfilled at the first ready snapshot (not while loading)", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    expect(t.gateway.selectors.pool(t.store.getState(), spec).status).toBe("loading");
    const stream = t.fake.pool(`channel|${guildId}|all`);
    stream.push({ reset: true, upsert: [channel("1")], status: "loading", loaded: 1, total: 2 });
    await settle();
    expect(lifecycleOf(t, "pool").map((a) => a.type)).toEqual(["gateway/pool/pending"]);
    stream.push({ upsert: [channel("2")], loaded: 2, total: 2 });
    await settle();
    stream.push({ upsert: [channel("3")], loaded: 3, total: 3 });
    await settle();
    const actions = lifecycleOf(t, "pool");
    expect(actions.map((a) => a.type)).toEqual(["gateway/pool/pending", "gateway/pool/fulfilled"]);
    expect(actions[1]?.meta.requestId).toBe(actions[0]?.meta.requestId);
    expect(actions[0]?.meta.arg).toEqual({ pool: "channel", guildId, view: "all", ids: null });
    const fulfilled = t.seen.find((a) => a.type === "gateway/pool/fulfilled") as unknown as {
      payload: { entities: unknown[] };
    };
    expect(fulfilled.payload.entities).toHaveLength(2);
    // The batch carrying the data comes first: a reducer or saga reading the store sees it.
    const types = t.types();
    expect(
      types.lastIndexOf("gateway/streams/batch", types.indexOf("gateway/pool/fulfilled")),
    ).toBeGreaterThan(types.indexOf("gateway/pool/pending"));
  });

  it("a first load that fails, and a spec released before it loaded (aborted)", async () => {
    const t = open();
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    t.fake.pool(`channel|${guildId}|all`).push({
      reset: true,
      status: "error",
      error: { code: "not_authenticated", message: "log in first" },
    });
    await settle();
    expect(t.seen.find((a) => a.type === "gateway/pool/rejected")).toMatchObject({
      error: { code: "not_authenticated", message: "log in first" },
      meta: { aborted: false },
    });
    expect(t.gateway.selectors.pool(t.store.getState(), spec)).toMatchObject({
      status: "error",
      error: { code: "not_authenticated", message: "log in first" },
    });

    const roles = { pool: "role" as const, guildId };
    t.store.dispatch(t.gateway.actions.subscribe(roles));
    t.store.dispatch(t.gateway.actions.release(roles));
    t.clock.advance(5000);
    await settle();
    expect(t.seen.filter((a) => a.type === "gateway/pool/rejected").at(-1)).toMatchObject({
      error: { code: "closed" },
      meta: { aborted: true, arg: { pool: "role" } },
    });
  });
});

describe("no action that gets past the middleware, and no state, holds the token", () => {
  it("over logins (good, refused, malformed), logout and a session in the store", async () => {
    const t = open();
    const token = tokenFor("42", "the-secret-signature");
    t.store.dispatch(t.gateway.actions.subscribe(spec));
    await t.store.dispatch(t.gateway.actions.login(token));
    t.fake.answers.login = () => Promise.reject(new GatewayError(401, "refused"));
    await t.store.dispatch(t.gateway.actions.login(token));
    await t.store.dispatch(t.gateway.actions.login(`${token}.extra`));
    await t.store.dispatch(t.gateway.actions.logout());
    await settle();
    expect(t.fake.calls.filter((c) => c.method === "login")).toHaveLength(2);
    const everything = JSON.stringify({ actions: t.seen, state: t.store.getState() });
    expect(everything).toContain("gateway/login/fulfilled");
    for (const secret of [token, "the-secret-signature", token.split(".")[1] as string])
      expect(everything).not.toContain(secret);
    // Even the command object (kept out of reducers anyway) has no token in it.
    expect(JSON.stringify(t.gateway.actions.login(token))).not.toContain("the-secret-signature");
  });
});

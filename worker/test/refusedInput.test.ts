import { TAB_PROTOCOL_VERSION } from "../../src/shared";
import { afterEach, describe, expect, it } from "vitest";
import type { PoolDelta } from "../../src/shared";
import { routeFrame } from "../gateway/routeFrame";
import { MAX_SUBSCRIPTIONS_PER_TAB } from "../hub";
import { createGateway } from "../../demo/gateway/createGateway";
import { TEST_SECRET } from "../../demo/gateway/test/harness";
import { FakeTab } from "./fakeTab";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

const hello = (over: object) => ({
  protocolVersion: 1,
  tabProtocolVersion: TAB_PROTOCOL_VERSION,
  buildId: "x",
  gatewayUrl: h.gw.gateway.url,
  lockName: null,
  cache: false as const,
  reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
  backlog: 10_000,
  batchMs: 16,
  tabId: `t-${Math.random()}`,
  ...over,
});

describe("hub: guards", () => {
  it("refuses an incompatible tab and a tab asking for another gateway, changing nothing", async () => {
    h = await startHubHarness();
    const a = h.tab();
    expect(() => h.hub.hello(hello({ protocolVersion: 2 }), () => {})).toThrow(
      expect.objectContaining({ code: "incompatible" }),
    );
    expect(() => h.hub.hello(hello({ tabProtocolVersion: 9 }), () => {})).toThrow(
      expect.objectContaining({ code: "incompatible" }),
    );
    expect(() => h.hub.hello(hello({ gatewayUrl: "http://127.0.0.1:1" }), () => {})).toThrow(
      expect.objectContaining({ code: "config_mismatch" }),
    );
    expect(() => h.hub.hello(hello({ gatewayUrl: "javascript:alert(1)" }), () => {})).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
    expect(() => h.hub.hello(hello({ tabId: a.id }), () => {})).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
    for (const backlog of [5, 2_000_000, 1.5, "100", Number.NaN])
      expect(() => h.hub.hello(hello({ backlog: backlog as number }), () => {})).toThrow(
        expect.objectContaining({
          code: "bad_input",
          message: "backlog must be an integer in [100, 1000000]",
        }),
      );
    expect(h.hub.tabCount).toBe(1);
  });

  it("bad frames from the gateway are counted and change nothing; a waiting request fails bad_frame", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const small = h.gw.guildId("Small Talk");
    await h.hub.spectate(a.id, small, {});
    const roles = a.subscribe({ kind: "pool", type: "role", guildId: small, ids: "all" });
    await a.until(() => a.pools.get(roles)?.last?.status === "ready");
    const before = new Map(a.pool(roles).entities);
    const sid = h.hub.link.state.socketId!;
    const io = h.gw.gateway.context.io;
    const raw = (event: string, payload: unknown) =>
      (io.to(sid) as unknown as { emit(e: string, p: unknown): void }).emit(event, payload);
    raw("log_pool", "not json");
    raw(
      "log_pool",
      JSON.stringify({
        guild_id: small,
        seq: 1,
        action: {},
        updates: [{ type: "role", op: "remove", id: [...before.keys()][0] }],
      }),
    );
    raw("log_pool", { guild_id: small });
    raw("no_such_event", "{}");
    raw("pool_response", JSON.stringify({ _id: 999, type: "role", data: "nope" }));
    // A valid frame after them: once it is handled, the bad ones were too.
    const r = await h.hub.interpret(a.id, { guild_id: "1", message_id: "2", content: "!ping" });
    expect(r.actions[0]).toMatchObject({ content: "pong" });
    expect(h.hub.diagnostics().counters.badFrames).toBe(5);
    expect(a.pool(roles).entities).toEqual(before);
    expect(h.hub.session.state.status).toBe("authenticated");
  });

  it("a malformed answer fails the request waiting for it with bad_frame", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.interpret(a.id, { guild_id: "1", message_id: "2", content: "!ping" });
    let id = 0;
    const pending = h.hub.requests.send({
      event: "interpret",
      needsAuth: false,
      retry: false,
      build: (_id) => {
        id = _id;
        return { _id, guild_id: "1", message_id: "4", content: "!ping" };
      },
      collect: (event) => (event === "interpret_return" ? { done: true, value: null } : { done: false }),
    });
    // Before the real answer can arrive (no I/O in between), a malformed one with its _id.
    routeFrame(h.hub, "interpret_return", JSON.stringify({ _id: id, guild_id: 1, actions: "x" }));
    await expect(pending).rejects.toMatchObject({ code: "bad_frame" });
    expect(h.hub.diagnostics().counters.badFrames).toBe(1);
  });

  it("logout purges every pool held; subscriptions show not_authenticated until the next login", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const small = h.gw.guildId("Small Talk");
    const s = a.subscribe({ kind: "pool", type: "channel", guildId: small, ids: "all" });
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    await h.hub.logout(a.id);
    await a.until(() => a.pools.get(s)?.last?.status === "error");
    expect(a.pool(s).entities.size).toBe(0);
    expect(a.pool(s).last?.error?.code).toBe("not_authenticated");
    expect(h.hub.diagnostics().counters.poolsHeld).toBe(1);
    await h.hub.login(a.id, await h.gw.token("bob"));
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    expect(a.pool(s).entities.size).toBe(h.gw.gateway.context.dataset.guilds.get(small)!.pools.channel.size);
    expect((a.pool(s).last as PoolDelta).error).toBeNull();
  });

  it("a page that asks for too much gets a typed error; other tabs are unaffected", async () => {
    h = await startHubHarness();
    const [greedy, other] = [h.tab(), h.tab()];
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_TAB; i++) greedy.subscribe({ kind: "connection" });
    expect(() => greedy.subscribe({ kind: "session" })).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
    const many = Array.from({ length: 100_000 }, (_, i) => String(i + 1));
    expect(() => other.subscribe({ kind: "pool", type: "member", guildId: "1", ids: many })).toThrow(
      expect.objectContaining({ code: "bad_input" }),
    );
    expect(() =>
      other.subscribe({ kind: "search", guildId: "1", query: "x".repeat(1_000_000), limit: 5 }),
    ).toThrow(expect.objectContaining({ code: "bad_input" }));
    await expect(h.hub.login(other.id, "x".repeat(100_000))).rejects.toMatchObject({ code: "bad_input" });
    await expect(
      h.hub.interpret(other.id, { guild_id: "7", message_id: "2", content: "x".repeat(100_000) }),
    ).rejects.toMatchObject({ code: "bad_input" });
    // The other tab still works.
    const session = other.subscribe({ kind: "session" });
    await other.until(() => other.latest(session) !== undefined);
  });
  it("a tab asking for another gateway after the last tab left does not take the session there", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    a.close();
    const other = await createGateway({ secret: TEST_SECRET, bigGuildMembers: 100, warn: () => {} });
    try {
      const b = new FakeTab(h.hub, other.url);
      const s = b.subscribe({ kind: "connection" });
      await b.until(() => b.latest<{ status: string }>(s)?.status === "connected");
      await h.hub.interpret(b.id, { guild_id: "1", message_id: "2", content: "!ping" });
      expect(h.hub.session.state.status).toBe("anonymous");
      expect(other.stats().requests.request_elevation ?? 0).toBe(0);
      b.close();
    } finally {
      await other.stop();
    }
  });
});

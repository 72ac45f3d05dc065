import { afterEach, describe, expect, it } from "vitest";
import { GatewayError, type SearchResult, type SessionState } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { gatewayHandlers } from "../../demo/gateway/gatewayHandlers";
import { routeFrame } from "../gateway/routeFrame";
import { startHubHarness, type HubHarness } from "./hubHarness";
import { forgedToken, late, saveHandlers } from "./patchGateway";

let h: HubHarness;
afterEach(async () => h?.stop());

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof GatewayError ? e.code : `not a GatewayError: ${String(e)}`;
  }
  return "resolved";
};

/**
 * Alice logged in with a 20 s token on a manual clock, a tab's refresher giving her 300 s ones:
 * the refresh is due after 10 s, before a request's 15 s timeout. `calls` counts refreshes.
 */
async function aliceRefreshedIn10s() {
  const clock = createManualClock(Date.now());
  h = await startHubHarness({ clock, hub: { refreshLeadMs: 30_000 } });
  const a = h.tab();
  let calls = 0;
  h.hub.setRefresher(a.id, async () => {
    calls++;
    return h.gw.token("alice", 300);
  });
  await h.hub.login(a.id, await h.gw.token("alice", 20));
  return { clock, a, calls: () => calls };
}

describe("hub: session", () => {
  it("login from one tab authenticates every tab; logout from another makes all anonymous", async () => {
    h = await startHubHarness();
    const a = h.tab();
    const b = h.tab();
    const sa = a.subscribe({ kind: "session" });
    const sb = b.subscribe({ kind: "session" });
    const state = await h.hub.login(a.id, await h.gw.token("bob"));
    expect(state).toMatchObject({ status: "authenticated", userId: h.gw.userId("bob") });
    await b.until(() => b.latest<SessionState>(sb)?.status === "authenticated");
    expect(h.gw.gateway.stats().elevated).toBe(1);
    await h.hub.logout(b.id);
    await a.until(() => a.latest<SessionState>(sa)?.status === "anonymous");
    expect(a.values.get(sa)?.map((s) => (s as SessionState).status)).toEqual([
      "anonymous",
      "authenticating",
      "authenticated",
      "anonymous",
    ]);
    expect(await code(h.hub.spectate(a.id, h.gw.guildId("Small Talk"), {}))).toBe("not_authenticated");
  });

  it("a bad token is a bad_input error and changes nothing; a refused one a 401", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    expect(await code(h.hub.login(a.id, "garbage"))).toBe("bad_input");
    expect(await code(h.hub.login(a.id, 42))).toBe("bad_input");
    const forged = (await h.gw.token("carol")).slice(0, -4) + "AAAA";
    expect(await code(h.hub.login(a.id, forged))).toBe(401);
    expect(h.hub.session.state).toMatchObject({ status: "authenticated", userId: h.gw.userId("bob") });
    expect(h.gw.gateway.stats().elevated).toBe(1);
  });

  it("refreshes the token through a tab's refresher before exp, without losing the session", async () => {
    const clock = createManualClock(Date.now());
    h = await startHubHarness({ clock, hub: { refreshLeadMs: 30_000 } });
    const a = h.tab();
    const sub = a.subscribe({ kind: "session" });
    let calls = 0;
    h.hub.setRefresher(a.id, async () => {
      calls++;
      return h.gw.token("bob", 300);
    });
    const first = await h.hub.login(a.id, await h.gw.token("bob", 120));
    expect(first.status === "authenticated" && first.expiresAt).toBe(
      Math.floor(clock.now() / 1000 + 120) * 1000,
    );
    clock.advance(89_000);
    expect(calls).toBe(0);
    clock.advance(2_000);
    expect(calls).toBe(1);
    const firstExpiry = first.status === "authenticated" ? first.expiresAt : 0;
    await a.until(() => {
      const state = a.latest<SessionState>(sub);
      return state?.status === "authenticated" && state.expiresAt > firstExpiry;
    });
    // Past the first token's exp: the gateway armed its timer for the new token, nothing expired.
    clock.advance(40_000);
    const s = a.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    expect(h.hub.session.state.status).toBe("authenticated");
  });

  it("another user's login superseded by the holder's own, which the gateway refuses: the session goes on", async () => {
    h = await startHubHarness();
    const t = h.tab();
    await h.hub.login(t.id, await h.gw.token("alice"));
    const forged = await forgedToken(h, "alice");
    const restore = saveHandlers();
    gatewayHandlers.request_elevation = late(gatewayHandlers.request_elevation, 200);
    try {
      const bob = h.hub.login(t.id, await h.gw.token("bob")).catch((e: unknown) => e);
      const again = h.hub.login(t.id, forged);
      await expect(again).rejects.toMatchObject({ code: 401 });
      expect(await bob).toMatchObject({ code: "not_authenticated" });
    } finally {
      restore();
    }
    // Still alice's session (bob's elevation, answered after it was superseded, is undone): what
    // she asks for now is answered.
    expect(h.hub.session.state).toMatchObject({ status: "authenticated", userId: h.gw.userId("alice") });
    const sub = t.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
    await t.until(() => t.pools.get(sub)?.last?.status === "ready");
  });

  it("a refresh due while another user's login is answered does not cancel that login", async () => {
    const { clock, a, calls } = await aliceRefreshedIn10s();
    const restore = saveHandlers();
    gatewayHandlers.request_elevation = late(gatewayHandlers.request_elevation, 300);
    try {
      const bob = h.hub.login(a.id, await h.gw.token("bob", 300));
      clock.advance(10_500);
      await expect(bob).resolves.toMatchObject({ status: "authenticated", userId: h.gw.userId("bob") });
      expect(h.hub.session.state).toMatchObject({ status: "authenticated", userId: h.gw.userId("bob") });
      expect(calls()).toBe(0);
    } finally {
      restore();
    }
  });

  it("a refresh skipped for another user's login is made once that login fails", async () => {
    const { clock, a, calls } = await aliceRefreshedIn10s();
    const forged = await forgedToken(h, "bob");
    const restore = saveHandlers();
    gatewayHandlers.request_elevation = late(gatewayHandlers.request_elevation, 300);
    try {
      const bob = h.hub.login(a.id, forged);
      clock.advance(10_500); // alice's refresh is due while bob's login is answered
      await expect(bob).rejects.toMatchObject({ code: 401 });
      expect(calls()).toBe(0);
      // Alice's session goes on, and its refresh is armed again (half the time left: 4.75 s).
      clock.advance(5_000);
      await a.until(() => calls() === 1);
      await expect
        .poll(() => {
          const state = h.hub.session.state;
          return state.status === "authenticated" && state.expiresAt - clock.now() > 100_000;
        })
        .toBe(true);
    } finally {
      restore();
    }
  });

  it("session_expired from the gateway: every tab sees expired; requests fail session_expired", async () => {
    const clock = createManualClock(Date.now());
    h = await startHubHarness({ clock });
    const a = h.tab();
    const s = a.subscribe({ kind: "session" });
    await h.hub.login(a.id, await h.gw.token("bob", 60));
    clock.advance(61_000);
    await a.until(() => a.latest<SessionState>(s)?.status === "expired");
    expect(await code(h.hub.spectate(a.id, h.gw.guildId("Small Talk"), {}))).toBe("session_expired");
  });

  it("while another user's login is answered, no authenticated request goes out with the previous token", async () => {
    h = await startHubHarness();
    const t = h.tab();
    await h.hub.login(t.id, await h.gw.token("alice"));
    const small = h.gw.guildId("Small Talk");
    const userOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as { sub: string }).sub;
    const asked: string[] = [];
    const restore = saveHandlers();
    const { pool_all_request: poolAll, pool_request: poolById } = gatewayHandlers;
    gatewayHandlers.pool_all_request = (ctx, session, payload) => {
      asked.push(`all ${userOf(payload.token)}`);
      return poolAll(ctx, session, payload);
    };
    gatewayHandlers.pool_request = (ctx, session, payload) => {
      asked.push(`ids ${userOf(payload.token)}`);
      return poolById(ctx, session, payload);
    };
    // The gateway takes its time to elevate: the pool asked meanwhile is the new user's.
    gatewayHandlers.request_elevation = late(gatewayHandlers.request_elevation, 300);
    try {
      const login = h.hub.login(t.id, await h.gw.token("bob"));
      const sub = t.subscribe({ kind: "pool", type: "role", guildId: small, ids: "all" });
      const role = [...h.gw.gateway.context.dataset.guilds.get(small)!.pools.channel.keys()][0]!;
      const byId = t.subscribe({ kind: "pool", type: "channel", guildId: small, ids: [role] });
      await login;
      await t.until(() => t.pools.get(sub)?.last?.status === "ready");
      await t.until(() => t.pools.get(byId)?.last?.status === "ready");
      const bob = h.gw.userId("bob");
      expect(asked.sort()).toEqual([`all ${bob}`, `ids ${bob}`]);
    } finally {
      restore();
    }
  });

  it("a different user's login drops every pool held for the previous user", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const small = h.gw.guildId("Small Talk");
    const s = a.subscribe({ kind: "pool", type: "role", guildId: small, ids: "all" });
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    expect(a.pool(s).entities.size).toBeGreaterThan(0);
    await h.hub.login(a.id, await h.gw.token("carol"));
    // Carol is not in Small Talk: bob's roles must be gone and the reload refused.
    await a.until(() => a.pools.get(s)?.last?.status === "error");
    expect(a.pool(s).entities.size).toBe(0);
    expect(a.pool(s).last?.error?.code).toBe(403);
  });
  it("search results do not outlive the session", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("bob"));
    const hubId = h.gw.guildId("Architus Hub");
    const s = a.subscribe({ kind: "search", guildId: hubId, query: "a", limit: 5 });
    await a.until(() => a.search(s)?.status === "ready");
    expect(a.search(s)!.entities.length).toBe(5);
    await h.hub.logout(a.id);
    await a.until(() => a.search(s)?.status === "error");
    expect(a.latest<SearchResult>(s)).toMatchObject({ entities: [], error: { code: "not_authenticated" } });
  });

  it("a tab's refresher that never answers does not stop another tab's", async () => {
    const clock = createManualClock(Date.now());
    h = await startHubHarness({ clock, hub: { refreshLeadMs: 30_000 } });
    const [a, b] = [h.tab(), h.tab()];
    let good = 0;
    h.hub.setRefresher(a.id, () => new Promise<string>(() => {}));
    h.hub.setRefresher(b.id, async () => {
      good++;
      return h.gw.token("bob", 600);
    });
    await h.hub.login(a.id, await h.gw.token("bob", 120));
    clock.advance(91_000);
    expect(good).toBe(0);
    clock.advance(10_000);
    await Promise.resolve();
    await Promise.resolve();
    expect(good).toBe(1);
  });

  it("log entries that arrive after a logout reach nobody", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("dave"));
    const hubId = h.gw.guildId("Architus Hub");
    await h.hub.spectate(a.id, hubId, {});
    const spec = a.subscribe({ kind: "spectating" });
    const logs = a.subscribe({ kind: "logs", guildId: hubId });
    await a.until(() => a.latest<{ includeLogs: boolean }>(spec)?.includeLogs === true);
    await h.gw.gateway.activity.publish(hubId, "message", 1);
    await a.until(() => a.logs.get(logs)?.length === 1);
    await h.hub.logout(a.id);
    const entry = h.gw.gateway.context.events.since(`${hubId}_logs`, 0)![0]!;
    routeFrame(h.hub, "log_other", entry.payload);
    await h.hub.interpret(a.id, { guild_id: "1", message_id: "2", content: "!ping" });
    expect(a.logs.get(logs)).toHaveLength(1);
    expect(h.hub.diagnostics().counters.staleFrames).toBeGreaterThanOrEqual(1);
  });
});

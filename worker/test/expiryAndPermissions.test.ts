import { afterEach, describe, expect, it } from "vitest";
import { dropSockets } from "../../demo/gateway/context";
import { Permission } from "../../src/protocol";
import { GatewayError, type SessionState, type SpectatingState } from "../../src/shared";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("hub: token expiry", () => {
  it("with a refresher, 3-second tokens are refreshed across 8 s of requests: 0 failed", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("alice", 3));
    h.hub.setRefresher(a.id, () => h.gw.token("alice", 3));
    const guilds = [h.gw.guildId("Small Talk"), h.gw.guildId("Tiny Test")];
    let done = 0;
    const failed: unknown[] = [];
    const start = Date.now();
    while (Date.now() - start < 8000) {
      await h.hub.spectate(a.id, guilds[done % 2]!, { includeLogs: false }).then(
        () => done++,
        (e: unknown) => failed.push(e),
      );
      await sleep(100);
    }
    expect(failed).toEqual([]);
    expect(done).toBeGreaterThan(40);
    expect(h.hub.session.state.status).toBe("authenticated");
  });

  it("without one: expired everywhere, calls fail session_expired, a new login brings every subscription back", async () => {
    h = await startHubHarness();
    const [a, b] = [h.tab(), h.tab()];
    const guild = h.gw.guildId("Small Talk");
    const sa = a.subscribe({ kind: "session" });
    const sb = b.subscribe({ kind: "session" });
    await h.hub.login(a.id, await h.gw.token("alice", 2));
    await h.hub.spectate(a.id, guild, {});
    const pool = b.subscribe({ kind: "pool", type: "channel", guildId: guild, ids: "all" });
    const spectating = b.subscribe({ kind: "spectating" });
    const logs = b.subscribe({ kind: "logs", guildId: guild });
    await b.until(() => b.pools.get(pool)?.last?.status === "ready");
    await a.until(() => a.latest<SessionState>(sa)?.status === "expired", 5000);
    await b.until(() => b.latest<SessionState>(sb)?.status === "expired");
    const error = await h.hub.spectate(b.id, guild, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe("session_expired");
    await h.hub.login(b.id, await h.gw.token("alice"));
    await a.until(() => a.latest<SessionState>(sa)?.status === "authenticated");
    // The subscriptions come back: the log stream flows again once the guild is spectated.
    await h.hub.spectate(a.id, guild, {});
    await b.until(() => b.latest<SpectatingState>(spectating)?.includeLogs === true);
    await h.gw.gateway.activity.publish(guild, "message", 5);
    await b.until(() => (b.logs.get(logs)?.length ?? 0) >= 5);
    expect(b.pools.get(pool)?.last?.status).toBe("ready");
  });
});

describe("hub: permissions", () => {
  it("a user without VIEW_PRIVATE_LOGS or VIEW_SETTINGS gets no private entry and no setting, across drops and replays", async () => {
    h = await startHubHarness();
    const gw = h.gw.gateway;
    const guild = h.gw.guildId("Small Talk");
    const bob = gw.context.dataset.demoUsers.find((u) => u.name === "bob")!;
    const token = await gw.auth.sign(
      { sub: bob.id, permissions: 0, guilds: { [guild]: Permission.VIEW_PUBLIC_LOGS } },
      3600,
    );
    const a = h.tab();
    await h.hub.login(a.id, token);
    const spectating = a.subscribe({ kind: "spectating" });
    const logs = a.subscribe({ kind: "logs", guildId: guild });
    const settings = a.subscribe({ kind: "pool", type: "settingValue", guildId: guild, ids: "all" });
    await h.hub.spectate(a.id, guild, {});
    await a.until(() => a.latest<SpectatingState>(spectating)?.includeLogs === true);
    for (let round = 0; round < 3; round++) {
      await gw.activity.publish(guild, "private_message", 30);
      await gw.activity.publish(guild, "message", 30);
      await gw.activity.publish(guild, "pool_update", 10);
      dropSockets(gw.context);
      await gw.activity.publish(guild, "private_message", 30);
      await gw.activity.publish(guild, "message", 30);
      // Back (replay with since), then the next round.
      await a.until(
        () =>
          h.hub.link.state.status === "connected" &&
          a.latest<SpectatingState>(spectating)?.includeLogs === true,
        10_000,
      );
    }
    await a.until(() => (a.logs.get(logs)?.length ?? 0) >= 180, 10_000);
    const received = a.logs.get(logs) ?? [];
    expect(received.filter((e) => e.action.private)).toEqual([]);
    expect(received.length).toBe(180);
    // After the last reconnect the pool asks again (loading) until the gateway refuses it again.
    await a.until(() => a.pools.get(settings)?.last?.status !== "loading", 10_000);
    expect(a.pools.get(settings)?.last).toMatchObject({ status: "error", error: { code: 403 } });
    expect(h.hub.pools.store("settingValue", guild).entities.size).toBe(0);
  });
});

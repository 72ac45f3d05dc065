import { afterEach, describe, expect, it } from "vitest";
import type { SessionState, SpectatingState } from "../../src/shared";
import { createGateway, type Gateway } from "../../demo/gateway/createGateway";
import { TEST_SECRET } from "../../demo/gateway/test/harness";
import { startHubHarness, untilPoolSeq, type HubHarness } from "./hubHarness";

let h: HubHarness;
let restarted: Gateway | null = null;
afterEach(async () => {
  await h?.stop();
  await restarted?.stop();
  restarted = null;
});

describe("hub: the gateway restarts", () => {
  it("re-elevates on the new gateway, learns the gap cannot be replayed and reloads the pools", async () => {
    h = await startHubHarness();
    const a = h.tab();
    const session = a.subscribe({ kind: "session" });
    const spec = a.subscribe({ kind: "spectating" });
    await h.hub.login(a.id, await h.gw.token("alice"));
    const small = h.gw.guildId("Small Talk");
    await h.hub.spectate(a.id, small, {});
    const pool = a.subscribe({ kind: "pool", type: "autoResponse", guildId: small, ids: "all" });
    const logs = a.subscribe({ kind: "logs", guildId: small });
    await a.until(() => a.pools.get(pool)?.last?.status === "ready");
    await a.until(() => a.latest<SpectatingState>(spec)?.includeLogs === true);
    await h.gw.gateway.activity.publish(small, "message", 10);
    await a.until(() => (a.logs.get(logs)?.length ?? 0) === 10);
    // History the new gateway will not have: the worker's seq runs ahead of it.
    await h.gw.gateway.activity.publish(small, "pool_update", 20);
    await untilPoolSeq(h.hub, small, h.gw.gateway.context.events.latest(small));

    const port = h.gw.gateway.port;
    await h.gw.gateway.stop();
    restarted = await createGateway({ port, secret: TEST_SECRET, bigGuildMembers: 3000, warn: () => {} });
    const fresh = restarted.context.dataset.guilds.get(small)!.pools.autoResponse;
    const sorted = (m: Map<string, unknown>) => JSON.stringify([...m].sort(([x], [y]) => x.localeCompare(y)));
    await a.until(
      () =>
        restarted!.stats().elevated === 1 &&
        a.latest<SpectatingState>(spec)?.guildId === small &&
        a.pools.get(pool)?.last?.status === "ready" &&
        sorted(a.pool(pool).entities) === sorted(fresh),
      20_000,
    );
    expect(a.latest<SessionState>(session)?.status).toBe("authenticated");
    expect(restarted.stats().rooms[`guild:${small}`]).toBe(1);
    expect(restarted.stats().requests.pool_all_request).toBe(1);
    // The log stream says entries may have been missed (a typed gap, not silence), then goes on.
    await a.until(() => (a.gaps.get(logs)?.length ?? 0) === 1);
    expect(a.gaps.get(logs)).toEqual([
      { guildId: small, reason: "gateway_restart", afterSeq: expect.any(Number), untilSeq: null },
    ]);
    // Diagnostics count it (the devtools panel's "gateway restarts seen").
    expect(h.hub.diagnostics().counters).toMatchObject({ "logGap:gateway_restart": 1 });
    expect(h.hub.diagnostics().counters["logGap:history_lost"]).toBeUndefined();
    await a.until(() => a.latest<SpectatingState>(spec)?.includeLogs === true);
    await restarted.activity.publish(small, "message", 3);
    await a.until(() => (a.logs.get(logs)?.length ?? 0) === 13);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import {
  TAB_PROTOCOL_VERSION,
  type DeliveryItem,
  type HelloRequest,
  type SpectatingState,
  type WorkerApi,
} from "../../src/shared";
import { createTabApi } from "../tabs/exposeTabApi";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
const apis: WorkerApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.bye();
  await h?.stop();
});

/** A tab over the worker's own call API (as Comlink serves it), acknowledging every delivery. */
async function apiTab(over: Partial<HelloRequest> = {}): Promise<{ api: WorkerApi; id: string }> {
  const api = createTabApi(h.hub, { locks: null });
  apis.push(api);
  const id = `tab-${Math.random()}`;
  const port = {
    onmessage: null as ((event: unknown) => void) | null,
    postMessage(_batch: DeliveryItem[]) {
      // Handled at once: acknowledged on the next task, as a page would.
      setTimeout(() => port.onmessage?.({}), 1);
    },
  };
  const hello = await api.hello(
    {
      protocolVersion: 1,
      tabProtocolVersion: TAB_PROTOCOL_VERSION,
      buildId: "test",
      gatewayUrl: h.gw.gateway.url,
      lockName: null,
      tabId: id,
      cache: false,
      ...over,
    },
    port as unknown as MessagePort,
  );
  expect(hello.ok).toBe(true);
  return { api, id };
}

describe("diagnostics for the devtools panel", () => {
  it("each tab (subscriptions, backlog, delivery latency), each pool, the seqs, refreshers, log entries", async () => {
    h = await startHubHarness();
    const guild = h.gw.guildId("Architus Hub");
    const a = h.tab();
    const { api, id } = await apiTab();
    await h.hub.login(a.id, await h.gw.token("dave"));
    const spectating = a.subscribe({ kind: "spectating" });
    const logs = a.subscribe({ kind: "logs", guildId: guild });
    const pool = a.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
    await h.hub.spectate(a.id, guild, {});
    await a.until(() => a.latest<SpectatingState>(spectating)?.includeLogs === true);
    await a.until(() => a.pools.get(pool)?.last?.status === "ready");
    // The API tab follows the logs too: its deliveries are acknowledged, so it has latencies.
    expect((await api.subscribe(1, { kind: "logs", guildId: guild })).ok).toBe(true);
    expect((await api.setRefresher(async () => "never")).ok).toBe(true);
    const published = await h.gw.gateway.activity.publish(guild, "message", 20);
    await a.until(() => (a.logs.get(logs)?.length ?? 0) === published);
    await expect
      .poll(() => h.hub.diagnostics().tabList.find((t) => t.id === id)?.latencyMs.length ?? 0)
      .toBeGreaterThan(0);

    const d = h.hub.diagnostics();
    expect(d.tabList.map((t) => [t.id, t.subscriptions, t.devtools])).toEqual([
      [a.id, { spectating: 1, logs: 1, pool: 1 }, false],
      [id, { logs: 1 }, false],
    ]);
    expect(d.tabList.every((t) => t.backlog >= 0 && t.latencyMs.every((ms) => ms >= 0))).toBe(true);
    const entities = a.pools.get(pool)!.entities.size;
    expect(d.pools).toContainEqual(
      expect.objectContaining({
        type: "autoResponse",
        guildId: guild,
        view: null,
        entities,
        status: "ready",
        complete: true,
        loaded: entities,
        total: entities,
        source: "network",
        stale: false,
        listeners: 1,
        updatedAt: expect.any(Number),
      }),
    );
    expect(d.seqs[guild]?.logs).toBeGreaterThanOrEqual(published);
    expect(d.counters.logEntries).toBe(published);
    expect(d.refreshers).toBe(1);
    expect(d.connection).toMatchObject({ status: "connected", transport: "websocket", retryAt: null });
    expect(d.transitions.map((t) => t.status)).toEqual(["connecting", "connected"]);
    // Structured-cloneable as the tabs get it, and never the token.
    const cloned = structuredClone(d);
    expect(JSON.stringify(cloned)).not.toContain(h.hub.session.currentToken()!);
    // A snapshot: what the worker does next does not change it (it may wait in a delivery queue).
    const more = await h.gw.gateway.activity.publish(guild, "message", 5);
    await a.until(() => (a.logs.get(logs)?.length ?? 0) === published + more);
    await expect.poll(() => h.hub.diagnostics().seqs[guild]!.logs).toBeGreaterThan(d.seqs[guild]!.logs);
    expect(d).toEqual(cloned);
  });

  it("devtools actions: refused (and counted) without the hello's devtools; drop, respectate and restart with it", async () => {
    let exits = 0;
    h = await startHubHarness({ hub: { exit: () => exits++ } });
    const guild = h.gw.guildId("Architus Hub");
    const plain = await apiTab();
    const refused = await plain.api.devtools("drop");
    expect(refused).toEqual({
      ok: false,
      error: { code: "bad_input", message: "devtools actions need connectGateway({ devtools: true })" },
    });
    expect(h.hub.diagnostics().counters.refusedCalls).toBe(1);
    expect(h.hub.link.state.status).not.toBe("reconnecting");

    const dev = await apiTab({ devtools: true });
    expect(h.hub.diagnostics().tabList.find((t) => t.id === dev.id)?.devtools).toBe(true);
    expect(await dev.api.devtools("explode" as never)).toEqual({
      ok: false,
      error: { code: "bad_input", message: "unknown devtools action" },
    });
    expect(h.hub.diagnostics().counters.refusedCalls).toBe(2);

    await expect.poll(() => h.hub.link.state.status).toBe("connected");
    expect(await dev.api.devtools("drop")).toEqual({ ok: true, value: "dropped the transport" });
    await expect.poll(() => h.hub.link.state.status).toBe("reconnecting");
    await expect.poll(() => h.hub.link.state.status, { timeout: 10_000 }).toBe("connected");
    expect(h.hub.link.transitions.map((t) => [t.status, t.reason])).toContainEqual([
      "reconnecting",
      "transport close",
    ]);

    await h.hub.login(dev.id, await h.gw.token("dave"));
    await h.hub.spectate(dev.id, guild, {});
    const answers = () => h.hub.diagnostics().counters["in:spectate_return"] ?? 0;
    const before = answers();
    expect(await dev.api.devtools("respectate")).toEqual({ ok: true, value: "spectating again" });
    await expect.poll(answers).toBe(before + 1);
    expect(h.hub.spectator.guildId).toBe(guild);

    expect(await dev.api.devtools("restart")).toEqual({ ok: true, value: "ending the worker" });
    // After the answer has gone.
    await expect.poll(() => exits).toBe(1);
  });

  it("restart is unsupported where the worker cannot end itself", async () => {
    h = await startHubHarness();
    const dev = await apiTab({ devtools: true });
    expect(await dev.api.devtools("restart")).toEqual({
      ok: false,
      error: { code: "unsupported", message: "this worker cannot end itself" },
    });
  });
});

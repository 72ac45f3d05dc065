/**
 * Issue 11's broker fault, for real: RabbitMQ's application is stopped and started again
 * (`rabbitmqctl stop_app` / `start_app`) while a 2-node cluster delivers logs through HAProxy.
 * Nodes and producer reconnect, declare and bind again; what was published while RabbitMQ was
 * down comes from the shared history. Every spectator has every seq exactly once, no gap.
 * Node clients (the worker's own recovery through the balancer is e2e/clusterFailover).
 */
import { test, expect } from "@playwright/test";
import { rabbitApp } from "../demo/cluster/rabbitmqctl";
import { guildId, startClusterHarness, token } from "../demo/cluster/test/clusterHarness";
import { ResilientSpectator } from "../demo/cluster/test/resilientSpectator";
import { recordFigure } from "./figures";

test.describe.configure({ timeout: 240_000 });

const SPECTATORS = 4;
/** Background events a second over all guilds; the spectated guild gets about a quarter. */
const RATE = 800;

test("RabbitMQ restarted under load: nodes bind again, every spectator has every seq exactly once", async () => {
  const h = await startClusterHarness("e2e-rabbit", 2, { AMQP_RETRY_MS: "500" });
  const spectators: ResilientSpectator[] = [];
  let stopped = false;
  try {
    const hub = guildId("Architus Hub");
    const t = await token("dave");
    for (let i = 0; i < SPECTATORS; i++) spectators.push(new ResilientSpectator(h.cluster.url, t, hub));
    await Promise.all(spectators.map((s) => s.until(() => s.firstLogsSeq !== null)));
    const latest = () => h.latestLogs(hub);
    const nodes = () => Promise.all(h.cluster.nodes.map((n) => h.stats(n.url)));

    await h.setRate(RATE);
    const loaded = await latest();
    await Promise.all(spectators.map((s) => s.until(() => s.logs.some((seq) => seq > loaded + 20))));

    const downAt = await latest();
    stopped = true;
    await rabbitApp("stop_app");
    const stoppedAt = Date.now();
    // Entries keep being made while RabbitMQ is down (the producer stores them in history first).
    await expect.poll(latest, { timeout: 30_000 }).toBeGreaterThan(downAt + 100);
    const whileDown = (await latest()) - downAt;
    await rabbitApp("start_app");
    stopped = false;
    const downMs = Date.now() - stoppedAt;
    const startedAt = Date.now();
    await expect
      .poll(
        async () =>
          (await nodes()).every(
            (s) => s.broker.connected && s.broker.bindings.includes(`${hub}_logs`) === s.sockets > 0,
          ),
        { timeout: 60_000 },
      )
      .toBe(true);
    const boundMs = Date.now() - startedAt;
    await h.setRate(0);
    const last = await latest();
    await Promise.all(spectators.map((s) => s.until(() => s.logs.includes(last), 60_000)));

    for (const s of spectators) {
      expect(s.missing(last)).toEqual([]);
      expect(s.duplicates()).toBe(0);
      expect(s.gaps).toBe(0);
    }
    expect((await nodes()).reduce((sum, s) => sum + s.sockets, 0)).toBe(SPECTATORS);
    const delivered = spectators.reduce((sum, s) => sum + s.logs.length, 0);
    recordFigure("rabbitRestart", {
      fault: `RabbitMQ restarted (stop_app, start_app) under ${RATE} events/s, 2 nodes, ${SPECTATORS} spectators through HAProxy`,
      figure: `down ${downMs} ms with ${whileDown} entries made meanwhile; nodes bound again ${boundMs} ms after start_app; ${delivered} entries delivered up to seq ${last}, 0 lost, 0 duplicated, no gap`,
      target: "every spectator has every seq exactly once",
      met: true,
    });
  } finally {
    for (const s of spectators) s.close();
    if (stopped) await rabbitApp("start_app");
    await h.stop();
  }
});

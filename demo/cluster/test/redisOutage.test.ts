import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogOtherPayload } from "../../../src/protocol";
import { REDIS_URL, guildId, startClusterHarness, type ClusterHarness } from "./clusterHarness";
import { startTcpProxy, type TcpProxy } from "./tcpProxy";
import { until } from "./until";

// The cluster reaches Redis through a proxy the test can cut: a real outage of history for
// this cluster only (the machine's Redis keeps serving everyone else).
let proxy: TcpProxy;
let h: ClusterHarness;
beforeAll(async () => {
  const redis = new URL(REDIS_URL);
  proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
  h = await startClusterHarness("redis-outage", 2, { REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await proxy?.close();
}, 60_000);

const small = guildId("Small Talk");

interface ProducerStats {
  activity_load: { inFlight: number; throttled: number };
}
const producerStats = async () =>
  (await (await fetch(`${h.cluster.producer.url}/stats`)).json()) as ProducerStats;

describe("Redis (shared history) is away for a while under load", { timeout: 90_000 }, () => {
  it("the producer holds what it made until Redis is back, then every spectator gets every seq once", async () => {
    const watchers = await Promise.all(
      h.cluster.nodes.map(async (node) => {
        const { client, token } = await h.userClient(node.url, "alice");
        await client.ask("spectate", { token, guild_id: small, include_logs: true }, "spectate_return");
        return client;
      }),
    );
    await h.setRate(400);
    await until(
      () => h.latestLogs(small),
      (latest) => latest >= 20,
      20_000,
    );

    proxy.cut();
    const cutAt = Date.now();
    // Made meanwhile: neither stored nor published, waiting (not dropped).
    await until(producerStats, (s) => s.activity_load.inFlight >= 100, 20_000);
    const seenDuringCut = watchers.map((c) => c.of("log_other").length);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 2_000 - (Date.now() - cutAt))));
    // An entry is published only once stored: nothing new reached the spectators meanwhile.
    expect(watchers.map((c) => c.of("log_other").length)).toEqual(seenDuringCut);
    expect((await producerStats()).activity_load.inFlight).toBeGreaterThanOrEqual(100);
    proxy.restore();

    await until(producerStats, (s) => s.activity_load.inFlight === 0, 30_000);
    await h.setRate(0);
    const last = await h.latestLogs(small);
    for (const [i, client] of watchers.entries()) {
      await client.waitFor(
        (f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === last,
        0,
        30_000,
      );
      const seqs = client.of("log_other").map((e) => e.seq);
      expect(seqs.length, `watcher ${i} had ${seenDuringCut[i]} during the cut`).toBe(last);
      expect(seqs).toEqual(Array.from({ length: last }, (_, k) => k + 1));
    }
    expect((await producerStats()).activity_load.throttled).toBe(0);
    for (const client of watchers) client.close();
  });

  it("a spectate that needs history while Redis is away fails typed and changes nothing; once back it replays", async () => {
    await h.publish(small, "message", 5);
    const latest = await h.latestLogs(small);
    const node = h.cluster.nodes[1]!;
    const { client, token } = await h.userClient(node.url, "alice");
    const spectate = { token, guild_id: small, include_logs: true, since: { logs: latest - 3 } };
    proxy.cut();
    let frame;
    try {
      frame = await client.request("spectate", spectate);
    } finally {
      proxy.restore();
    }
    // PROTOCOL.md: 500 "gateway fault", the socket stays up, and the socket joined no room.
    expect(frame).toMatchObject({ event: "error", payload: { code: 500, message: "gateway fault" } });
    expect(client.of("log_other")).toEqual([]);
    const from = client.frames.length;
    const ret = await client.ask("spectate", spectate, "spectate_return");
    expect(ret).toMatchObject({ success: true, guild_id: small, include_logs: true, replayed: 3 });
    await client.waitFor(
      (f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === latest,
      from,
    );
    expect(client.of("log_other", from).map((e) => e.seq)).toEqual([latest - 2, latest - 1, latest]);
  });
});

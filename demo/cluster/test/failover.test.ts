import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guildId, startClusterHarness, token, type ClusterHarness } from "./clusterHarness";
import { ResilientSpectator } from "./resilientSpectator";

let h: ClusterHarness;
const spectators: ResilientSpectator[] = [];
beforeAll(async () => {
  h = await startClusterHarness("failover");
}, 120_000);
afterAll(async () => {
  for (const s of spectators) s.close();
  await h?.stop();
}, 60_000);

const hub = guildId("Architus Hub");
const CLIENTS = 9;

describe("failover through the balancer", () => {
  it("nodes killed twice under load: their clients are back on the others with every seq exactly once", async () => {
    const t = await token("dave");
    for (let i = 0; i < CLIENTS; i++) spectators.push(new ResilientSpectator(h.cluster.url, t, hub));
    await Promise.all(spectators.map((s) => s.until(() => s.firstLogsSeq !== null)));
    const alive = h.cluster.nodes.map((_, i) => i);
    const socketsOf = () =>
      Promise.all(alive.map(async (i) => (await h.stats(h.cluster.nodes[i]!.url)).sockets));
    expect((await socketsOf()).reduce((a, b) => a + b, 0)).toBe(CLIENTS);

    // Load: the producer's background activity over all guilds (Architus Hub gets about a quarter).
    await h.setRate(1200);
    const loaded = await h.latestLogs(hub);
    await Promise.all(spectators.map((s) => s.until(() => s.logs.some((seq) => seq > loaded + 50))));
    const kills: { moved: number; at: number }[] = [];
    for (let round = 0; round < 2; round++) {
      // The busiest live node dies; the next round, the one that took most of its clients.
      const sockets = await socketsOf();
      const index = sockets.indexOf(Math.max(...sockets));
      const victim = alive.splice(index, 1)[0]!;
      const at = await h.latestLogs(hub);
      kills.push({ moved: sockets[index] ?? 0, at });
      h.cluster.nodes[victim]!.child.kill("SIGKILL");
      await Promise.all(spectators.map((s) => s.until(() => s.logs.some((seq) => seq > at + 300))));
    }
    await h.setRate(0);
    const latest = await h.latestLogs(hub);
    await Promise.all(spectators.map((s) => s.until(() => s.logs.includes(latest))));

    expect(await socketsOf()).toEqual([CLIENTS]);
    const times = spectators.flatMap((s) => s.reconnectMs).sort((a, b) => a - b);
    expect(times.length).toBe(kills[0]!.moved + kills[1]!.moved);
    expect(kills.every((k) => k.moved > 0)).toBe(true);
    for (const s of spectators) {
      expect(s.missing(latest)).toEqual([]);
      expect(s.duplicates()).toBe(0);
      expect(s.gaps).toBe(0);
    }
    const total = spectators.reduce((sum, s) => sum + s.logs.length, 0);
    process.stdout.write(
      `failover: ${kills.map((k) => `${k.moved} clients moved at seq ${k.at}`).join(", then ")}; ` +
        `reconnect ms ${times.join(", ")}; ${total} entries delivered up to seq ${latest}, 0 lost, 0 duplicated\n`,
    );
  });
});

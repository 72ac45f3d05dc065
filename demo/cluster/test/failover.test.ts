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

async function producer(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${h.cluster.producer.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

const latestLogs = async () =>
  ((await producer("/stats")) as { latest: Record<string, number> }).latest[`${hub}_logs`] ?? 0;

describe("failover through the balancer", () => {
  it("a node killed under load: its clients are back on other nodes with every seq exactly once", async () => {
    const t = await token("dave");
    for (let i = 0; i < CLIENTS; i++) spectators.push(new ResilientSpectator(h.cluster.url, t, hub));
    await Promise.all(spectators.map((s) => s.until(() => s.firstLogsSeq !== null)));
    const sockets = await Promise.all(h.cluster.nodes.map(async (n) => (await h.stats(n.url)).sockets));
    expect(sockets.reduce((a, b) => a + b, 0)).toBe(CLIENTS);
    const victim = sockets.indexOf(Math.max(...sockets));
    const onVictim = sockets[victim] ?? 0;
    expect(onVictim).toBeGreaterThan(0);

    // Load: the producer's background activity over all guilds (Architus Hub gets about a quarter).
    await producer("/dev/rate", { events_per_second: 800 });
    const loaded = await latestLogs();
    await Promise.all(spectators.map((s) => s.until(() => s.logs.some((seq) => seq > loaded + 50))));
    const killedAt = await latestLogs();
    h.cluster.nodes[victim]!.child.kill("SIGKILL");
    await Promise.all(spectators.map((s) => s.until(() => s.logs.some((seq) => seq > killedAt + 400))));
    await producer("/dev/rate", { events_per_second: 0 });
    const latest = await latestLogs();
    await Promise.all(spectators.map((s) => s.until(() => s.logs.includes(latest))));

    const moved = spectators.filter((s) => s.reconnectMs.length > 0);
    expect(moved.length).toBe(onVictim);
    for (const s of spectators) {
      expect(s.missing(latest)).toEqual([]);
      expect(s.duplicates()).toBe(0);
      expect(s.gaps).toBe(0);
    }
    const times = moved.flatMap((s) => s.reconnectMs).sort((a, b) => a - b);
    const total = spectators.reduce((sum, s) => sum + s.logs.length, 0);
    process.stdout.write(
      `failover: ${onVictim}/${CLIENTS} clients moved, reconnect ms ${times.join(", ")}; ` +
        `${total} entries delivered, 0 lost, 0 duplicated; seqs ${killedAt}→${latest} during the kill\n`,
    );
  });
});

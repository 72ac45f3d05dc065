import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { createAuth } from "../gateway/auth";
import { systemClock } from "../gateway/clock";
import { DATASET_EPOCH, DEV_SECRET } from "../gateway/createGateway";
import { generateDataset } from "../gateway/dataset/generateDataset";
import { signDemoToken } from "../gateway/signDemoToken";
import { DEFAULT_AMQP_URL } from "./amqpBroker";
import { connectClients, drainClients } from "./benchClients";
import { zipfGuild } from "./benchGuilds";
import { failStart, intArg } from "./cliArgs";
import { DEFAULT_REDIS_URL, clusterNames } from "./clusterNames";
import { pidsNamed, processCpuMs } from "./processCpu";
import { dropClusterState } from "./dropClusterState";
import { scalingSvg, type ScalingPoint } from "./scalingPlot";
import { startCluster } from "./startCluster";

/**
 * `npm run bench:cluster -- [--nodes 3] [--clients 50,100,200] [--guilds 200] [--rate 1000]
 * [--seconds 5] [--svg FILE] [--json FILE] [--client lean|socketio] [--client-processes 2]
 * [--direct]` (not in `npm test`; `--direct`: clients on the nodes round-robin, no balancer). For each client count: clients through the balancer (lean ones speak the
 * socket.io wire directly, see leanClient.ts; or socket.io-client) in child processes, spread over `guilds` guilds (the dataset's 4 plus small
 * "Bench Guild"s) with Zipf-like popularity, the producer at `rate` entries/s over all guilds.
 * Per node: sockets, bindings, messages from RabbitMQ against all published (the filtering the
 * topic bindings buy), CPU and memory; delivery latency p50/p99 to the clients. `--svg` plots
 * latency and per-node inbound rate against the client count.
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string" },
    clients: { type: "string", default: "50,100,200" },
    guilds: { type: "string" },
    rate: { type: "string" },
    seconds: { type: "string" },
    members: { type: "string" },
    svg: { type: "string" },
    json: { type: "string" },
    client: { type: "string", default: "lean" },
    "client-processes": { type: "string" },
    direct: { type: "boolean", default: false },
  },
});
if (values.client !== "lean" && values.client !== "socketio")
  failStart("bench", new Error(`--client must be lean or socketio, not ${values.client}`));
const kind = values.client;
const direct = values.direct;
const clientProcesses = intArg("client-processes", values["client-processes"], 2);
const nodes = intArg("nodes", values.nodes, 3);
const counts = values.clients.split(",").map((c) => intArg("clients", c, 0));
const rate = intArg("rate", values.rate, 1000);
const seconds = intArg("seconds", values.seconds, 5);
const members = intArg("members", values.members, 2000);
const extraGuilds = Math.max(0, intArg("guilds", values.guilds, 200) - 4);
const amqpUrl = process.env.AMQP_URL ?? DEFAULT_AMQP_URL;
const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;

interface NodeStats {
  sockets: number;
  node: number;
  broker: { bindings: string[]; received: number };
  process: { cpu_ms: number; rss_mb: number };
}

const json = async <T>(url: string, body?: unknown): Promise<T> => {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as T;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const names = clusterNames(`bench-${process.pid}-${Date.now().toString(36)}`);
const dataset = generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: members, extraGuilds });
const guilds = [...dataset.guilds.keys()];
const alice = dataset.demoUsers.find((u) => u.name === "alice");
if (!alice) failStart("bench", new Error("no demo user alice"));
const token = await signDemoToken(createAuth(DEV_SECRET, systemClock), alice, 3600);

const cluster = await startCluster({
  nodes,
  port: 0,
  prefix: names.prefix,
  members,
  extraGuilds,
  env: { ...process.env, GATEWAY_JWT_SECRET: DEV_SECRET, AMQP_URL: amqpUrl, REDIS_URL: redisUrl },
}).catch((error: unknown) => failStart("bench", error));
const nodeStats = () => Promise.all(cluster.nodes.map((n) => json<NodeStats>(`${n.url}/stats`)));
const producerStats = () =>
  json<{ published: number; latest: Record<string, number> }>(`${cluster.producer.url}/stats`);

/** Deliveries owed between two producer stats: each client gets every entry of its guild's logs. */
function owed(count: number, before: Record<string, number>, after: Record<string, number>): number {
  let total = 0;
  for (let i = 0; i < count; i++) {
    const topic = `${zipfGuild(guilds, i, count)}_logs`;
    total += (after[topic] ?? 0) - (before[topic] ?? 0);
  }
  return total;
}

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
/** The processes the bench does not ask over HTTP (RabbitMQ and Redis: the machine's, as found now). */
const infraPids = () => ({
  producer: [cluster.producer.pid],
  balancer: [cluster.balancerPid],
  rabbitmq: pidsNamed("beam.smp"),
  redis: pidsNamed("redis-server"),
});
type InfraPids = ReturnType<typeof infraPids>;
const infraCpu = (pids: InfraPids) =>
  Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuOf(p)])) as Record<keyof InfraPids, number>;

/**
 * One step: `count` clients, `seconds` of load, then the backlog drains and everyone leaves.
 * Published/s is over the producing window; deliveries/s and CPU from the start to the last
 * delivery, backlog included (a saturated system delivers late, not less).
 */
async function measure(count: number) {
  const urls = direct ? cluster.nodes.map((n) => n.url) : [cluster.url];
  const clients = await connectClients(urls, token, guilds, count, { processes: clientProcesses, kind });
  try {
    const pids = infraPids();
    const before = await nodeStats();
    const infraBefore = infraCpu(pids);
    const producerBefore = await producerStats();
    await clients.reset();
    const startedAt = performance.now();
    await json(`${cluster.producer.url}/dev/rate`, { events_per_second: rate });
    await sleep(seconds * 1000);
    await json(`${cluster.producer.url}/dev/rate`, { events_per_second: 0 });
    const producing = (performance.now() - startedAt) / 1000;
    // Seqs given out from here on are none: what the clients are owed is known now.
    const producerAfter = await producerStats();
    const expected = owed(count, producerBefore.latest, producerAfter.latest);
    const { deliveries, lastAt } = await drainClients(clients, expected);
    const after = await nodeStats();
    const infraAfter = infraCpu(pids);
    const elapsed = (Math.max(lastAt, startedAt + producing * 1000) - startedAt) / 1000;
    const total = (await producerStats()).published - producerBefore.published;
    const pct = (ms: number) => +(ms / (elapsed * 10)).toFixed(1);
    const rows = after.map((s, i) => {
      const b = before[i] ?? s;
      const received = s.broker.received - b.broker.received;
      return {
        node: s.node,
        sockets: s.sockets,
        bindings: s.broker.bindings.length,
        received,
        published: total,
        filtering: total > 0 ? +(received / total).toFixed(3) : 0,
        cpu_pct: pct(s.process.cpu_ms - b.process.cpu_ms),
        rss_mb: s.process.rss_mb,
      };
    });
    const point: ScalingPoint = {
      clients: count,
      p50_ms: deliveries.p50_ms,
      p99_ms: deliveries.p99_ms,
      inbound_per_node: Math.round(rows.reduce((sum, r) => sum + r.received, 0) / rows.length / elapsed),
      published: Math.round(total / producing),
    };
    const { delivered, duplicates, bad, closed } = deliveries;
    const infra = Object.fromEntries(
      Object.entries(infraAfter).map(([k, v]) => [k, pct(v - infraBefore[k as keyof InfraPids])]),
    );
    return {
      point,
      delivered,
      // Every entry is visible to the bench's user: owed and not arrived (a duplicate is not one).
      lost: expected - (delivered - duplicates),
      delivered_per_s: Math.round(delivered / elapsed),
      duplicates,
      bad,
      closed,
      // % of one core over the step, by process (nodes summed; their own split is in rows).
      cpu_pct: {
        nodes: +rows.reduce((sum, r) => sum + r.cpu_pct, 0).toFixed(1),
        clients: pct(deliveries.cpu_ms),
        ...infra,
      },
      client_us_per_entry: delivered > 0 ? +((deliveries.cpu_ms * 1000) / delivered).toFixed(1) : NaN,
      clients_per_process: clients.spread,
      producing_s: +producing.toFixed(1),
      elapsed_s: +elapsed.toFixed(1),
      rows,
    };
  } finally {
    await clients.close();
    // Wait until the nodes saw everyone leave (and unbound), so steps do not overlap.
    try {
      let left = 0;
      for (let i = 0; i < 100; i++) {
        left = (await nodeStats()).reduce((sum, s) => sum + s.sockets, 0);
        if (left === 0) break;
        await sleep(100);
      }
      if (left > 0) console.warn(`bench: ${left} sockets still open on the nodes 10 s after the step`);
    } catch (error) {
      console.warn(`bench: could not read the nodes after the step: ${String(error)}`);
    }
  }
}

try {
  const steps = [];
  for (const count of counts) {
    const step = await measure(count);
    steps.push(step);
    process.stdout.write(`${JSON.stringify(step)}\n`);
  }
  const result = {
    nodes,
    guilds: guilds.length,
    rate,
    seconds,
    client: kind,
    client_processes: clientProcesses,
    through: direct ? "nodes" : "balancer",
    steps,
  };
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  if (values.svg) {
    const caption = `${nodes} node(s)${direct ? " (clients on nodes directly)" : ""}, ${guilds.length} guilds, ${rate} entries/s, ${seconds} s per step`;
    writeFileSync(
      values.svg,
      scalingSvg(
        steps.map((s) => s.point),
        caption,
      ),
    );
  }
} finally {
  await cluster.stop();
  const redis = new Redis(redisUrl);
  await dropClusterState(names, amqpUrl, redis);
  redis.disconnect();
}

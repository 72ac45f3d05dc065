import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { io, type Socket } from "socket.io-client";
import type { LogOtherPayload } from "../../src/protocol";
import { createAuth } from "../gateway/auth";
import { systemClock } from "../gateway/clock";
import { DATASET_EPOCH, DEV_SECRET } from "../gateway/createGateway";
import { generateDataset } from "../gateway/dataset/generateDataset";
import { signDemoToken } from "../gateway/signDemoToken";
import { DEFAULT_AMQP_URL } from "./amqpBroker";
import { failStart, intArg } from "./cliArgs";
import { DEFAULT_REDIS_URL, clusterNames } from "./clusterNames";
import { dropClusterState } from "./dropClusterState";
import { startCluster } from "./startCluster";

/**
 * `npm run bench:cluster -- [--nodes 3] [--clients 60] [--guilds 4] [--rate 500] [--seconds 5]`
 * (a skeleton, not in `npm test`): Node socket.io clients through the balancer spread over
 * `guilds` guilds (the dataset's 4, plus small "Bench Guild"s) with Zipf-like popularity (guild
 * k gets weight 1/k), the producer at `rate` entries/s spread evenly over all guilds;
 * prints per node its sockets, bindings, messages from RabbitMQ against all published (the
 * filtering the topic bindings buy), CPU and memory, and delivery latency p50/p99 to clients.
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string" },
    clients: { type: "string" },
    rate: { type: "string" },
    seconds: { type: "string" },
    members: { type: "string" },
    guilds: { type: "string" },
  },
});
const nodes = intArg("nodes", values.nodes, 3);
const clients = intArg("clients", values.clients, 60);
const rate = intArg("rate", values.rate, 500);
const seconds = intArg("seconds", values.seconds, 5);
const members = intArg("members", values.members, 2000);
const extraGuilds = Math.max(0, intArg("guilds", values.guilds, 4) - 4);
const amqpUrl = process.env.AMQP_URL ?? DEFAULT_AMQP_URL;
const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;

interface NodeStats {
  sockets: number;
  node: number;
  broker: { bindings: string[]; received: number };
  process: { cpu_ms: number; rss_mb: number };
}

const getJson = async <T>(url: string, body?: unknown): Promise<T> => {
  const res = await fetch(url, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as T;
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

const names = clusterNames(`bench-${process.pid}-${Date.now().toString(36)}`);
const dataset = generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: members, extraGuilds });
const guilds = [...dataset.guilds.keys()];
const alice = dataset.demoUsers.find((u) => u.name === "alice");
if (!alice) failStart("bench", new Error("no demo user alice"));
const token = await signDemoToken(createAuth(DEV_SECRET, systemClock), alice, 3600);
const weights = guilds.map((_, k) => 1 / (k + 1));
const total = weights.reduce((a, b) => a + b, 0);
const guildOf = (i: number) => {
  let roll = ((i + 0.5) / clients) * total;
  return guilds[weights.findIndex((w) => (roll -= w) < 0)] ?? guilds[0]!;
};

const cluster = await startCluster({
  nodes,
  port: 0,
  prefix: names.prefix,
  members,
  extraGuilds,
  env: { ...process.env, GATEWAY_JWT_SECRET: DEV_SECRET, AMQP_URL: amqpUrl, REDIS_URL: redisUrl },
}).catch((error: unknown) => failStart("bench", error));
const latencies: number[] = [];
const sockets: Socket[] = [];
try {
  await Promise.all(
    Array.from({ length: clients }, (_, i) => {
      const socket = io(cluster.url, { transports: ["websocket"], forceNew: true });
      sockets.push(socket);
      socket.on("log_other", (raw: string) => {
        latencies.push(Date.now() - (JSON.parse(raw) as LogOtherPayload).action.timestamp);
      });
      return new Promise<void>((resolve) => {
        socket.once("spectate_return", () => resolve());
        socket.once("request_elevation_return", () =>
          socket.emit(
            "spectate",
            JSON.stringify({ _id: 2, token, guild_id: guildOf(i), include_logs: true }),
          ),
        );
        socket.on("connect", () => socket.emit("request_elevation", JSON.stringify({ _id: 1, token })));
      });
    }),
  );
  const statsOf = () => Promise.all(cluster.nodes.map((n) => getJson<NodeStats>(`${n.url}/stats`)));
  const producerStats = () => getJson<{ published: number }>(`${cluster.producer.url}/stats`);
  const before = await statsOf();
  const publishedBefore = (await producerStats()).published;
  latencies.length = 0;
  await getJson(`${cluster.producer.url}/dev/rate`, { events_per_second: rate });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await getJson(`${cluster.producer.url}/dev/rate`, { events_per_second: 0 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = await statsOf();
  const published = (await producerStats()).published - publishedBefore;
  const sorted = latencies.sort((a, b) => a - b);
  const rows = after.map((s, i) => {
    const b = before[i]!;
    const received = s.broker.received - b.broker.received;
    return {
      node: s.node,
      sockets: s.sockets,
      bindings: s.broker.bindings.length,
      received,
      published,
      filtering: published > 0 ? +(received / published).toFixed(3) : 0,
      cpu_pct: +((s.process.cpu_ms - b.process.cpu_ms) / (seconds * 10)).toFixed(1),
      rss_mb: s.process.rss_mb,
    };
  });
  const summary = {
    nodes,
    clients,
    guilds: guilds.length,
    rate,
    seconds,
    delivered: sorted.length,
    p50_ms: percentile(sorted, 0.5),
    p99_ms: percentile(sorted, 0.99),
  };
  process.stdout.write(`${JSON.stringify({ summary, rows }, null, 2)}\n`);
} finally {
  for (const socket of sockets) socket.close();
  await cluster.stop();
  const redis = new Redis(redisUrl);
  await dropClusterState(names, amqpUrl, redis);
  redis.disconnect();
}

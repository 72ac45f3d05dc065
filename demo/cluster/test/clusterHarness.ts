import { Redis } from "ioredis";
import { createAuth } from "../../gateway/auth";
import { systemClock } from "../../gateway/clock";
import { DATASET_EPOCH } from "../../gateway/createGateway";
import { generateDataset } from "../../gateway/dataset/generateDataset";
import { signDemoToken } from "../../gateway/signDemoToken";
import { TEST_SECRET } from "../../gateway/test/harness";
import { TestClient } from "../../gateway/test/testClient";
import { DEFAULT_AMQP_URL } from "../amqpBroker";
import { DEFAULT_REDIS_URL, clusterNames, type ClusterNames } from "../clusterNames";
import { dropClusterState } from "../dropClusterState";
import { startCluster, type Cluster } from "../startCluster";

export const MEMBERS = 2000;
export const AMQP_URL = process.env.AMQP_URL ?? DEFAULT_AMQP_URL;
export const REDIS_URL = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
/**
 * Timeout of a test that calls `rabbitmqctl`: each call starts an Erlang VM, which takes seconds
 * on a busy machine, so a few of them do not fit vitest's 30 s.
 */
export const RABBITMQCTL_TEST_MS = 180_000;
/** How long such a test re-reads RabbitMQ's view (several `rabbitmqctl` calls) before it gives up. */
export const RABBITMQCTL_WAIT_MS = 60_000;

/** A name no other run uses: clusters of parallel or leftover runs never meet. */
export const uniquePrefix = (label: string): string =>
  `t-${label}-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

/** The dataset every process of the cluster generated (same seed and size), for names and tokens. */
const dataset = generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: MEMBERS });
const auth = createAuth(TEST_SECRET, systemClock);

export function guildId(name: string): string {
  const guild = [...dataset.guilds.values()].find((g) => g.name === name);
  if (!guild) throw new Error(`no guild ${name}`);
  return guild.id;
}

export function token(name: string): Promise<string> {
  const user = dataset.demoUsers.find((u) => u.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  return signDemoToken(auth, user, 3600);
}

export interface ClusterHarness {
  cluster: Cluster;
  names: ClusterNames;
  redis: Redis;
  /** A client elevated as `user`, connected straight to `url` (a node, or the balancer). */
  userClient(url: string, user: string): Promise<{ client: TestClient; token: string }>;
  stats(url: string): Promise<NodeStats>;
  /** Publishes through `POST /dev/activity` of `via` (default the producer) and waits for the answer. */
  publish(
    guild: string,
    kind: "message" | "private_message" | "pool_update" | "presence",
    count: number,
    via?: string,
  ): Promise<void>;
  /** The producer's background activity over all guilds, events a second (0: off). */
  setRate(eventsPerSecond: number): Promise<void>;
  /** The latest seq the producer gave the guild's log topic. */
  latestLogs(guild: string): Promise<number>;
  /** The latest seq the producer gave the guild's presence topic. */
  latestPresence(guild: string): Promise<number>;
  /** Stops every process, deletes the exchange and the streams; fails on protocol violations. */
  stop(): Promise<void>;
}

export interface NodeStats {
  sockets: number;
  topics: string[];
  node: number;
  broker: { queue: string; connected: boolean; bindings: string[] };
}

export async function startClusterHarness(
  label: string,
  nodes = 3,
  env: NodeJS.ProcessEnv = {},
): Promise<ClusterHarness> {
  const names = clusterNames(uniquePrefix(label));
  const cluster = await startCluster({
    nodes,
    port: 0,
    prefix: names.prefix,
    members: MEMBERS,
    env: { ...process.env, GATEWAY_JWT_SECRET: TEST_SECRET, AMQP_URL, REDIS_URL, ...env },
  });
  const redis = new Redis(REDIS_URL);
  const clients: TestClient[] = [];
  const latestOf = async (topic: string) => {
    const res = await fetch(`${cluster.producer.url}/stats`);
    return ((await res.json()) as { latest: Record<string, number> }).latest[topic] ?? 0;
  };
  return {
    cluster,
    names,
    redis,
    async userClient(url, user) {
      const client = new TestClient(url);
      clients.push(client);
      await client.connected();
      const t = await token(user);
      const ret = await client.ask("request_elevation", { token: t }, "request_elevation_return");
      if (!ret.success) throw new Error(`elevation of ${user} failed`);
      return { client, token: t };
    },
    async stats(url) {
      const res = await fetch(`${url}/stats`);
      return (await res.json()) as NodeStats;
    },
    async publish(guild, kind, count, via = cluster.producer.url) {
      const res = await fetch(`${via}/dev/activity`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ guild_id: guild, kind, count }),
      });
      if (!res.ok) throw new Error(`publish: ${res.status} ${await res.text()}`);
    },
    async setRate(eventsPerSecond) {
      const res = await fetch(`${cluster.producer.url}/dev/rate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ events_per_second: eventsPerSecond }),
      });
      if (!res.ok) throw new Error(`rate: ${res.status} ${await res.text()}`);
    },
    latestLogs: (guild) => latestOf(`${guild}_logs`),
    latestPresence: (guild) => latestOf(`${guild}_presence`),
    async stop() {
      for (const client of clients) client.close();
      await cluster.stop();
      await dropClusterState(names, AMQP_URL, redis);
      redis.disconnect();
      const violations = clients.flatMap((c) => c.violations);
      if (violations.length > 0)
        throw new Error(`protocol violations:\n${violations.slice(0, 5).join("\n")}`);
    },
  };
}

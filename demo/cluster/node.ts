import { createGateway, type Gateway } from "../gateway/createGateway";
import { createAmqpBroker } from "./amqpBroker";
import { createClusterHistory, type ClusterHistory } from "./clusterHistory";
import { clusterNames } from "./clusterNames";
import { connectRedis } from "./redisHistory";
import { createRemoteActivity } from "./remoteActivity";

export interface NodeOptions {
  /** Node number (1…N): names its queue. */
  id: number;
  prefix: string;
  amqpUrl: string;
  redisUrl: string;
  producerUrl: string;
  port?: number;
  secret?: string;
  seed?: number;
  /** Members of the biggest guild: the producer's value. */
  members?: number;
  /** More small guilds: the producer's value. */
  extraGuilds?: number;
  /** No dev endpoints, and GATEWAY_JWT_SECRET must be set. */
  production?: boolean;
}

export interface GatewayNode {
  gateway: Gateway;
  history: ClusterHistory;
  stop(): Promise<void>;
}

/**
 * A gateway node of a cluster: the reference gateway with its topics on RabbitMQ (its own
 * queue, bound to a guild's routing keys while its sockets spectate it), replay from Redis,
 * and dev endpoints forwarded to the producer. Fails at start when RabbitMQ or Redis is unreachable.
 */
export async function startNode(options: NodeOptions): Promise<GatewayNode> {
  const names = clusterNames(options.prefix);
  const label = `node ${options.id}`;
  const onError = (error: unknown) =>
    console.error(`${label}:`, error instanceof Error ? error.message : error);
  const redis = await connectRedis(options.redisUrl, onError);
  let history: ClusterHistory | null = null;
  let gateway: Gateway | null = null;
  const broker = await createAmqpBroker({
    url: options.amqpUrl,
    exchange: names.exchange,
    name: `${names.prefix} node ${options.id}`,
    queue: names.queue(options.id),
    onError,
    // Bindings are back: deliver what each subscribed topic missed while RabbitMQ was away.
    onReconnect: () => gateway && history?.resync(gateway.context.topics.topics()),
  }).catch(async (error: unknown) => {
    redis.disconnect();
    throw error;
  });
  gateway = await createGateway({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.secret !== undefined ? { secret: options.secret } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.members !== undefined ? { bigGuildMembers: options.members } : {}),
    ...(options.extraGuilds ? { extraGuilds: options.extraGuilds } : {}),
    broker,
    // Behind a balancer without stickiness a long-polling session would hop between nodes:
    // nodes take WebSocket only, one HTTP upgrade, so any node can take any connection.
    transports: ["websocket"],
    history: ({ events, dataset }) =>
      (history = createClusterHistory({ redis, names: names.streams, events, dataset, onError })),
    activity: createRemoteActivity(options.producerUrl, onError),
    statsExtra: () => ({
      node: options.id,
      pid: process.pid,
      broker: {
        queue: broker.queue,
        connected: broker.connected(),
        bindings: broker.bindings(),
        received: broker.received(),
        bad_messages: history?.badMessages() ?? 0,
      },
      process: processStats(),
    }),
    warn: (message) => console.warn(`${label}: ${message}`),
    ...(options.production ? { production: true } : {}),
  });
  const node = gateway;
  if (!history) throw new Error("the gateway did not build its history");
  return {
    gateway: node,
    history,
    async stop() {
      await node.stop(); // closes the broker too
      redis.disconnect();
    },
  };
}

/** CPU time used so far and resident memory of this process. */
function processStats(): { cpu_ms: number; rss_mb: number } {
  const cpu = process.cpuUsage();
  return {
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

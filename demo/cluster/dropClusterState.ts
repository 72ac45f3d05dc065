import amqp from "amqplib";
import type { Redis } from "ioredis";
import type { ClusterNames } from "./clusterNames";
import { deleteStreams } from "./redisHistory";

/**
 * Deletes what a cluster leaves on the shared servers once its processes are gone: its exchange
 * (queues are exclusive and went with their nodes) and its history streams.
 */
export async function dropClusterState(names: ClusterNames, amqpUrl: string, redis: Redis): Promise<void> {
  await deleteStreams(redis, names.streams);
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    await channel.deleteExchange(names.exchange);
  } finally {
    await connection.close();
  }
}

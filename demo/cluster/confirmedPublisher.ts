import type { Redis } from "ioredis";
import type { Broker } from "../gateway/broker";
import { BrokerDownError, type AmqpBroker } from "./amqpBroker";
import { historyLength, readSince, type StreamNames } from "./redisHistory";

export interface PublisherCounts {
  /** Confirmed by RabbitMQ the first time. */
  published: number;
  /** Not confirmed (RabbitMQ was down or went away meanwhile): owed to the nodes. */
  unpublished: number;
  /** Published again from history after the connection was back. */
  republished: number;
  /** Topics with messages still owed (waiting for the connection). */
  owed_topics: number;
}

/**
 * The producer's side of the `Broker` seam: every message is already in history when it is
 * published; one RabbitMQ does not confirm is owed, and once the connection is back everything
 * of its topic from there is published again from history (nodes drop the seqs they have).
 */
export function createConfirmedPublisher(deps: {
  amqp: AmqpBroker;
  redis: Redis;
  names: StreamNames;
  onError: (error: unknown) => void;
}): Broker & { republish(): Promise<void>; counts(): PublisherCounts } {
  const { amqp } = deps;
  const counts = { published: 0, unpublished: 0, republished: 0 };
  /** Topic → first seq RabbitMQ did not confirm. */
  const owed = new Map<string, number>();
  const owe = (topic: string, seq: number) => owed.set(topic, Math.min(owed.get(topic) ?? seq, seq));

  return {
    subscribe: () => Promise.reject(new Error("the producer does not subscribe")),
    async publish(topic, message) {
      try {
        await amqp.publish(topic, message);
        counts.published++;
      } catch (error) {
        if (!(error instanceof BrokerDownError)) throw error;
        counts.unpublished++;
        owe(topic, (JSON.parse(message) as { seq: number }).seq);
      }
    },
    async republish() {
      for (const [topic, first] of [...owed]) {
        owed.delete(topic);
        const limit = historyLength(topic);
        const events = await readSince(deps.redis, deps.names, topic, first - 1, limit);
        if (events === null) {
          deps.onError(new Error(`${topic}: history no longer holds seq ${first}; nodes will see a gap`));
          continue;
        }
        for (const event of events) {
          try {
            await amqp.publish(topic, event.payload);
            counts.republished++;
          } catch (error) {
            deps.onError(error);
            owe(topic, event.seq);
            break;
          }
        }
      }
    },
    counts: () => ({ ...counts, owed_topics: owed.size }),
    close: () => amqp.close(),
  };
}

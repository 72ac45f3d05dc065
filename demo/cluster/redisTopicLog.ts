import type { Redis } from "ioredis";
import type { LogPresencePayload } from "../../src/protocol";
import { parseTopic } from "../gateway/broker";
import type { TopicEvent } from "../gateway/topicEvent";
import type { TopicLog } from "../gateway/history";
import { historyLength, latestSeq, presenceStateKey, type StreamNames } from "./redisHistory";

/** The producer's log was closed while an entry still waited to be stored. */
export class TopicLogClosedError extends Error {
  override readonly name = "TopicLogClosedError";
}

export interface RedisTopicLog extends TopicLog {
  /** Latest seq handed out for `topic`. */
  latest(topic: string): number;
  /** Stops retrying: entries not stored yet reject with {@link TopicLogClosedError}. */
  close(): void;
}

/**
 * The producer's {@link TopicLog} on Redis: seqs are counted here (one producer), starting from
 * what history holds, and each entry is added (trimmed to its topic's length) before it is published.
 *
 * The seq is handed out at once (the producer's dataset has already changed), so an entry is
 * never dropped: the entries of a topic are stored one after the other, and a failed XADD (Redis
 * away) is retried, in order, until it is stored. History never has a hole; while Redis is away
 * the topic's entries wait (and are neither stored nor published). A presence entry updates
 * its guild's presence hash in the same transaction (see `presenceStateKey`).
 */
export async function createRedisTopicLog(
  redis: Redis,
  names: StreamNames,
  topics: string[],
  options: { retryMs?: number; onError?: (error: unknown) => void } = {},
): Promise<RedisTopicLog> {
  const retryMs = options.retryMs ?? 200;
  const latest = new Map<string, number>();
  for (const topic of topics) latest.set(topic, await latestSeq(redis, names, topic));
  /** Per topic: settles once its last appended entry is stored. */
  const tails = new Map<string, Promise<void>>();
  let closed = false;

  const stored = async (topic: string, seq: number): Promise<boolean> => {
    try {
      return (await latestSeq(redis, names, topic)) >= seq;
    } catch {
      return false;
    }
  };

  /** The entry; a presence entry with its guild's presence hash, in one transaction. */
  const write = async (topic: string, seq: number, payload: string, value: TopicEvent) => {
    const { kind, guildId } = parseTopic(topic);
    const args = [names.key(topic), "MAXLEN", historyLength(topic), `0-${seq}`, "p", payload] as const;
    if (kind !== "presence") return void (await redis.xadd(...args));
    const multi = redis.multi().xadd(...args);
    const key = presenceStateKey(names, guildId);
    for (const { id, status } of (value as LogPresencePayload).updates) multi.hset(key, id, status);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null)?.[0];
    if (!results || failed) throw failed ?? new Error("transaction aborted");
  };

  /** Stores until it succeeds (an entry whose reply was lost is found stored and not added twice). */
  const store = async (topic: string, seq: number, payload: string, value: TopicEvent): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      if (closed) throw new TopicLogClosedError(`${topic}: closed before seq ${seq} was stored`);
      try {
        await write(topic, seq, payload, value);
        return;
      } catch (error) {
        if (await stored(topic, seq)) return;
        const reason = error instanceof Error ? error.message : String(error);
        options.onError?.(new Error(`${topic}: storing seq ${seq} failed (${reason}); retrying`));
        const wait = Math.min(retryMs * attempt, 10 * retryMs);
        await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
    }
  };

  return {
    latest: (topic) => latest.get(topic) ?? 0,
    close() {
      closed = true;
    },
    async append(topic, build) {
      if (closed) throw new TopicLogClosedError(`${topic}: closed`);
      const seq = (latest.get(topic) ?? 0) + 1;
      latest.set(topic, seq);
      const value = build(seq);
      const payload = JSON.stringify(value);
      // Never store seq N+1 before seq N: a rejected predecessor (closed) rejects this one too.
      const tail = (tails.get(topic) ?? Promise.resolve()).then(() => store(topic, seq, payload, value));
      tails.set(topic, tail);
      try {
        await tail;
      } finally {
        if (tails.get(topic) === tail) tails.delete(topic);
      }
      return { seq, payload, value };
    },
  };
}

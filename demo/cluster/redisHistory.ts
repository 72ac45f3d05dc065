import { Redis } from "ioredis";
import type { PresenceStatus } from "../../src/protocol";
import { parseTopic, presenceTopic } from "../gateway/broker";
import type { TopicEvent } from "../gateway/topicEvent";
import type { LoggedEvent } from "../gateway/eventLog";

/**
 * History shared by every node: one Redis stream per topic, entry id `0-<seq>` (so Redis itself
 * refuses a seq that does not grow), field `p` holding the exact payload that was published.
 */
export interface StreamNames {
  /** Stream key of a topic. */
  key(topic: string): string;
  /** Every key of this cluster (for clean-up): a SCAN pattern. */
  pattern: string;
}

export const streamNames = (prefix: string): StreamNames => ({
  key: (topic) => `${prefix}:topic:${topic}`,
  pattern: `${prefix}:topic:*`,
});

/** A replay never sends more than this many entries of one topic (PROTOCOL.md: the last 1,000). */
export const REPLAY_LIMIT = 1000;
/** Log topics keep what a replay may need. */
export const LOGS_MAXLEN = REPLAY_LIMIT;
/**
 * Pool topics keep more: a node that was not bound to a guild replays its pool changes into its
 * copy of the dataset before serving it (pool changes are a few percent of the traffic).
 */
export const POOL_MAXLEN = 20_000;

/** How many entries history keeps of a topic: pool topics more (see POOL_MAXLEN), others a replay's worth. */
export const historyLength = (topic: string): number =>
  parseTopic(topic).kind === "pool" ? POOL_MAXLEN : REPLAY_LIMIT;

/**
 * The hash of a guild's published presence changes (member id → its latest status, `offline`
 * included, for every member a presence entry ever named), written with each presence entry in
 * one transaction. Over the generated presence (seq 0, the same in every process) it gives the
 * published state: a node that was away from the topic longer than its history reaches, or a
 * restarted producer, reads the state it has come to, with its seq.
 */
export const presenceStateKey = (names: StreamNames, guildId: string): string =>
  `${names.key(presenceTopic(guildId))}:state`;

/** A guild's published presence changes and the presence seq they reach, read in one transaction. */
export async function readPresenceState(
  redis: Redis,
  names: StreamNames,
  guildId: string,
): Promise<{ seq: number; changes: [string, PresenceStatus][] }> {
  const [[, fields], [, last]] = (await redis
    .multi()
    .hgetall(presenceStateKey(names, guildId))
    .xrevrange(names.key(presenceTopic(guildId)), "+", "-", "COUNT", 1)
    .exec()) as [[unknown, Record<string, string>], [unknown, [string, string[]][]]];
  return {
    seq: last[0] ? seqOf(last[0][0]) : 0,
    changes: Object.entries(fields) as [string, PresenceStatus][],
  };
}

const seqOf = (id: string): number => Number(id.slice(id.indexOf("-") + 1));

/** Latest seq of a topic in history (0 when it has none). */
export async function latestSeq(redis: Redis, names: StreamNames, topic: string): Promise<number> {
  const [last] = await redis.xrevrange(names.key(topic), "+", "-", "COUNT", 1);
  return last ? seqOf(last[0]) : 0;
}

/**
 * Entries of `topic` after `seq`, oldest first, at most `limit`; null when history no longer
 * holds the one right after `seq`, when `seq` is ahead of it, or when more than `limit` follow.
 */
export async function readSince(
  redis: Redis,
  names: StreamNames,
  topic: string,
  seq: number,
  limit: number,
): Promise<LoggedEvent<TopicEvent>[] | null> {
  const key = names.key(topic);
  const [[, range], [, last]] = (await redis
    .multi()
    .xrange(key, `(0-${seq}`, "+", "COUNT", limit + 1)
    .xrevrange(key, "+", "-", "COUNT", 1)
    .exec()) as [[unknown, [string, string[]][]], [unknown, [string, string[]][]]];
  const latest = last[0] ? seqOf(last[0][0]) : 0;
  if (seq > latest || range.length > limit) return null;
  const events = range.map(([id, fields]): LoggedEvent<TopicEvent> => {
    const payload = fields[1] ?? "";
    return { seq: seqOf(id), payload, value: JSON.parse(payload) as TopicEvent };
  });
  if (events.length > 0 && events[0]?.seq !== seq + 1) return null;
  return events;
}

/** Deletes every stream of a cluster (tests, `--fresh`). */
export async function deleteStreams(redis: Redis, names: StreamNames): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", names.pattern, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

/**
 * Connects to Redis, rejecting with a clear error when it does not answer at start; once
 * connected, a lost connection is retried with backoff (commands wait meanwhile, then fail).
 */
export async function connectRedis(
  url: string,
  onError: (error: unknown) => void = () => {},
): Promise<Redis> {
  let connected = false;
  let lastError: unknown = null;
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt) => (connected ? Math.min(attempt * 100, 2000) : null),
  });
  redis.on("error", (error: unknown) => {
    lastError = error;
    if (connected) onError(error);
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const reason = lastError instanceof Error ? lastError.message : String(error);
    throw new Error(`cannot reach Redis at ${url} (${reason}); start it or set REDIS_URL`, { cause: error });
  }
  connected = true;
  return redis;
}

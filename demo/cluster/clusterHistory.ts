import type { Redis } from "ioredis";
import type { LogPoolPayload, LogPresencePayload } from "../../src/protocol";
import { parseTopic, poolTopic, presenceTopic } from "../gateway/broker";
import type { TopicEvent } from "../gateway/topicEvent";
import type { Dataset } from "../gateway/dataset/Dataset";
import type { EventLog } from "../gateway/eventLog";
import type { Deliver, NodeHistory } from "../gateway/history";
import { createPoolSync, type PoolSync } from "./poolSync";
import { createPresenceSync, type PresenceSync } from "./presenceSync";
import { REPLAY_LIMIT, historyLength, latestSeq, readSince, type StreamNames } from "./redisHistory";
import { BadTopicMessageError, parseTopicMessage } from "./topicMessage";

/** How long a spectate waits for this node to catch up with the client's `since`. */
const REACH_TIMEOUT_MS = 2000;

/** A cluster node's history: live messages from RabbitMQ, gaps and replays from Redis streams. */
export interface ClusterHistory extends NodeHistory {
  /** After a broker outage: delivers, in order, what each topic missed meanwhile. */
  resync(topics: string[]): void;
  readonly pools: PoolSync;
  readonly presence: PresenceSync;
  /** Broker messages refused (malformed, another guild's) or whose pool change failed to apply. */
  badMessages(): number;
}

interface TopicState {
  /** `live`: messages go straight through; otherwise they wait in `buffer`. */
  phase: "starting" | "catching" | "live";
  /** The broker came back while history was read: read it again once that read is done. */
  stale: boolean;
  buffer: string[];
  deliver: Deliver | null;
}

/**
 * Every message of a subscribed topic goes through the node's `events` window exactly once and in
 * seq order: a message it has already is dropped, a jump is filled from history first, and while
 * history is read the topic's live messages wait. Pool changes and presence frames also update
 * the node's dataset.
 */
export function createClusterHistory(deps: {
  redis: Redis;
  names: StreamNames;
  events: EventLog<TopicEvent>;
  dataset: Dataset;
  onError: (error: unknown) => void;
}): ClusterHistory {
  const { redis, names, events } = deps;
  const pools = createPoolSync(deps);
  const presence = createPresenceSync(deps);
  const states = new Map<string, TopicState>();
  const stateOf = (topic: string) => {
    let state = states.get(topic);
    if (!state) states.set(topic, (state = { phase: "starting", stale: false, buffer: [], deliver: null }));
    return state;
  };
  const waiters = new Map<string, { seq: number; resolve: () => void }[]>();
  let bad = 0;
  /** A bad message is counted and logged, and never stops the topic (nor the process). */
  const refuse = (error: unknown) => {
    bad++;
    deps.onError(error);
  };

  const reached = (topic: string) => {
    const list = waiters.get(topic);
    if (!list) return;
    const latest = events.latest(topic);
    const left = list.filter((w) => (w.seq <= latest ? (w.resolve(), false) : true));
    if (left.length > 0) waiters.set(topic, left);
    else waiters.delete(topic);
  };

  const accept = (topic: string, state: TopicState, seq: number, payload: string, value: TopicEvent) => {
    if (!events.record(topic, { seq, payload, value })) return;
    const kind = parseTopic(topic).kind;
    try {
      // A copy that fails stays behind: reads of the guild catch it up, or fail, rather than serve it stale.
      if (kind === "pool") pools.live(value as LogPoolPayload);
      else if (kind === "presence") presence.live(value as LogPresencePayload);
    } catch (error) {
      refuse(error);
    }
    state.deliver?.(payload, value);
    reached(topic);
  };

  const take = (topic: string, state: TopicState, message: string) => {
    let value: TopicEvent;
    try {
      value = parseTopicMessage(topic, message);
    } catch (error) {
      return refuse(error);
    }
    const latest = events.latest(topic);
    if (value.seq <= latest) return;
    if (value.seq === latest + 1) accept(topic, state, value.seq, message, value);
    else {
      state.buffer.unshift(message);
      void catchUp(topic, state, true);
    }
  };

  const flush = (topic: string, state: TopicState) => {
    state.phase = "live";
    while (state.phase === "live" && state.buffer.length > 0) {
      const message = state.buffer.shift();
      if (message !== undefined) take(topic, state, message);
    }
  };

  /**
   * The producer stores each entry before it publishes it, so history holds every message the
   * node has received. One still a jump after history was read, and ahead of history too, is not
   * the producer's: it is refused (the topic would otherwise read history for it forever).
   */
  const dropAheadOfHistory = async (topic: string, state: TopicState) => {
    const head = state.buffer[0];
    if (head === undefined) return;
    const seq = parseTopicMessage(topic, head).seq;
    if (seq <= events.latest(topic) + 1) return;
    const stored = await latestSeq(redis, names, topic);
    if (seq <= stored || state.buffer[0] !== head) return;
    state.buffer.shift();
    refuse(new BadTopicMessageError(`${topic}: seq ${seq} is ahead of history (${stored})`));
  };

  /** Reads history: delivers what the topic missed, or (first subscription) only learns its latest seq. */
  const catchUp = (topic: string, state: TopicState, deliverMissed: boolean) => {
    state.phase = deliverMissed ? "catching" : "starting";
    const run = async () => {
      if (!deliverMissed) {
        events.advance(topic, await latestSeq(redis, names, topic));
        return;
      }
      const from = events.latest(topic);
      const missed = await readSince(redis, names, topic, from, historyLength(topic));
      if (missed === null) {
        // Older than history: the jump stays; clients see it and re-spectate (`replayed: -1`).
        deps.onError(new Error(`${topic}: history no longer holds seq ${from + 1}; clients will see a gap`));
        events.advance(topic, await latestSeq(redis, names, topic));
        return;
      }
      for (const event of missed) accept(topic, state, event.seq, event.payload, event.value);
      await dropAheadOfHistory(topic, state);
    };
    return run()
      .catch(deps.onError)
      .then((): Promise<void> | void => {
        reached(topic);
        if (states.get(topic) !== state) return;
        if (!state.stale) return flush(topic, state);
        state.stale = false;
        return catchUp(topic, state, true);
      })
      .catch(deps.onError);
  };

  return {
    pools,
    presence,
    badMessages: () => bad,
    receive(topic, message, deliver) {
      const state = stateOf(topic);
      state.deliver = deliver;
      if (state.phase === "live") take(topic, state, message);
      else state.buffer.push(message);
    },
    subscribed: (topic) => catchUp(topic, stateOf(topic), false),
    unsubscribed(topic) {
      states.delete(topic);
    },
    resync(topics) {
      for (const topic of topics) {
        const state = states.get(topic);
        // A read in flight may predate the outage: the topic reads again once it is done.
        if (state?.phase === "live") void catchUp(topic, state, true);
        else if (state) state.stale = true;
      }
    },
    reach(topic, seq) {
      if (events.latest(topic) >= seq) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiter = { seq, resolve };
        const list = waiters.get(topic) ?? [];
        waiters.set(topic, [...list, waiter]);
        // A client ahead of all history (or a node far behind): answer anyway, as history allows.
        setTimeout(() => {
          waiters.set(
            topic,
            (waiters.get(topic) ?? []).filter((w) => w !== waiter),
          );
          resolve();
        }, REACH_TIMEOUT_MS).unref();
      });
    },
    since: (topic, seq) => readSince(redis, names, topic, seq, REPLAY_LIMIT),
    async beforeGuildRead(guildId, options) {
      if (guildId === undefined) return;
      // Bound and caught up: live changes keep a copy current with what the node announced.
      const current = (topic: string, applied: number) =>
        states.get(topic)?.phase === "live" && applied >= events.latest(topic);
      await Promise.all([
        current(poolTopic(guildId), pools.applied(guildId)) ? null : pools.catchUp(guildId),
        !options?.members || current(presenceTopic(guildId), presence.applied(guildId))
          ? null
          : presence.catchUp(guildId),
      ]);
    },
    presenceSeq: (guildId) => presence.applied(guildId),
  };
}

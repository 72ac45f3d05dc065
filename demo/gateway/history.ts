import { presenceTopic } from "./broker";
import type { TopicEvent } from "./topicEvent";
import type { EventLog, LoggedEvent } from "./eventLog";

/** Where the producer numbers and retains events: `EventLog` in process, a shared store in a cluster. */
export interface TopicLog {
  /** Assigns the next seq of `topic` (synchronously, in call order), builds the event and retains it. */
  append(
    topic: string,
    build: (seq: number) => TopicEvent,
  ): LoggedEvent<TopicEvent> | Promise<LoggedEvent<TopicEvent>>;
}

/**
 * How a gateway node gets its topics' events and replays them. The default serves a node that
 * shares one process with the producer; a cluster node keeps a local window of what it delivered
 * (its `events`) and reads older entries from history shared by all nodes.
 */
/** Fans one message out; `value` is the message parsed and checked, when the caller has it. */
export type Deliver = (message: string, value?: TopicEvent) => void;

export interface NodeHistory {
  /**
   * A live broker message of `topic`: calls `deliver` for every message to fan out, in seq
   * order, each once (a cluster node drops what it delivered already and fills gaps from history),
   * with its parsed and checked value when the history has one (so it is not parsed again).
   */
  receive(topic: string, message: string, deliver: Deliver): void;
  /** The broker subscription of `topic` is in place: resolves once the node's latest seq of it is known. */
  subscribed(topic: string): Promise<void>;
  /** The node let go of `topic`: what it knew of it is stale from now on. */
  unsubscribed(topic: string): void;
  /**
   * Resolves once this node has delivered `topic` up to `seq`, or gives up after a short while:
   * a client coming from a node that was ahead would otherwise get those entries twice.
   */
  reach(topic: string, seq: number): Promise<void>;
  /** Events of `topic` after `seq`, oldest first; null when older than history or ahead of it. */
  since(topic: string, seq: number): Promise<LoggedEvent<TopicEvent>[] | null>;
  /**
   * Resolves once the node's copy of the guild's pools holds every change published so far
   * (`undefined`: a guild-agnostic request), and with `members`, its copy of the guild's presence
   * too. Rejects when that copy cannot be brought up to date.
   */
  beforeGuildRead(guildId: string | undefined, options?: { members?: boolean }): Promise<void>;
  /** The presence seq the node's copy of the guild's presence reflects (Extension 2). */
  presenceSeq(guildId: string): number;
}

/** The node and the producer share `events` (one process): nothing to catch up. */
export function createLocalHistory(events: EventLog<TopicEvent>): NodeHistory {
  return {
    receive: (_topic, message, deliver) => deliver(message),
    subscribed: async () => {},
    unsubscribed: () => {},
    reach: async () => {},
    since: async (topic, seq) => events.since(topic, seq),
    beforeGuildRead: async () => {},
    presenceSeq: (guildId) => events.latest(presenceTopic(guildId)),
  };
}

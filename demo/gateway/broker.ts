/** Unsubscribes. Calling it twice is harmless. */
export type Unsubscribe = () => Promise<void>;

/**
 * Message-queue seam between the event producer and the gateway nodes.
 * Topics: `<guild_id>` (pool-changing events), `<guild_id>_logs` (all other log entries) and
 * `<guild_id>_presence` (presence changes, PROTOCOL.md Extension 2).
 * Messages are the exact JSON payload strings the gateway forwards.
 */
export interface Broker {
  /** Delivers every later message of `topic` to `handler` until unsubscribed. */
  subscribe(topic: string, handler: (message: string) => void): Promise<Unsubscribe>;
  publish(topic: string, message: string): Promise<void>;
  close(): Promise<void>;
}

/** Topic names of the pool, log and presence streams of a guild. */
export const poolTopic = (guildId: string): string => guildId;
export const logsTopic = (guildId: string): string => `${guildId}_logs`;
export const presenceTopic = (guildId: string): string => `${guildId}_presence`;

/** What a topic carries: `log_pool` events, `log_other` entries or `log_presence` frames. */
export type TopicKind = "pool" | "logs" | "presence";

/** The kind of a topic and its guild. */
export function parseTopic(topic: string): { kind: TopicKind; guildId: string } {
  if (topic.endsWith("_logs")) return { kind: "logs", guildId: topic.slice(0, -"_logs".length) };
  if (topic.endsWith("_presence")) return { kind: "presence", guildId: topic.slice(0, -"_presence".length) };
  return { kind: "pool", guildId: topic };
}

/** The default broker: in-process, synchronous delivery. */
export function createInProcessBroker(): Broker {
  const handlers = new Map<string, Set<(message: string) => void>>();
  return {
    async subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      const entry = (message: string) => handler(message);
      set.add(entry);
      return async () => {
        const current = handlers.get(topic);
        current?.delete(entry);
        if (current?.size === 0) handlers.delete(topic);
      };
    },
    async publish(topic, message) {
      const set = handlers.get(topic);
      if (!set) return;
      for (const handler of [...set]) handler(message);
    },
    async close() {
      handlers.clear();
    },
  };
}

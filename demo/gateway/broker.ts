/** Unsubscribes. Calling it twice is harmless. */
export type Unsubscribe = () => Promise<void>;

/**
 * Message-queue seam between the event producer and the gateway nodes.
 * Topics: `<guild_id>` (pool-changing events) and `<guild_id>_logs` (all other log entries).
 * Messages are the exact JSON payload strings the gateway forwards.
 */
export interface Broker {
  /** Delivers every later message of `topic` to `handler` until unsubscribed. */
  subscribe(topic: string, handler: (message: string) => void): Promise<Unsubscribe>;
  publish(topic: string, message: string): Promise<void>;
  close(): Promise<void>;
}

/** Topic names of the pool and log streams of a guild. */
export const poolTopic = (guildId: string): string => guildId;
export const logsTopic = (guildId: string): string => `${guildId}_logs`;

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

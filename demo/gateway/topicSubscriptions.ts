import type { Broker, Unsubscribe } from "./broker";

/**
 * Reference-counted broker subscriptions of one gateway node: the node subscribes to a
 * topic while at least one of its sockets needs it and unsubscribes when the last leaves.
 */
export interface TopicSubscriptions {
  acquire(topic: string): void;
  release(topic: string): void;
  /** Resolves once the subscription of an acquired `topic` is in place (at once for others). */
  ready(topic: string): Promise<void>;
  /** Topics this node is subscribed to now. */
  topics(): string[];
  close(): Promise<void>;
}

export interface TopicHooks {
  subscribed(topic: string): Promise<void>;
  unsubscribed(topic: string): void;
}

export function createTopicSubscriptions(
  broker: Broker,
  onMessage: (topic: string, message: string) => void,
  onError: (error: unknown) => void,
  /** Told when a subscription is in place (`ready` waits for it) and when it is let go. */
  hooks: TopicHooks = { subscribed: async () => {}, unsubscribed: () => {} },
): TopicSubscriptions {
  const counts = new Map<string, number>();
  const unsubscribes = new Map<string, Promise<Unsubscribe | undefined>>();
  const readies = new Map<string, Promise<void>>();

  const subscribe = (topic: string) => {
    const pending = broker
      .subscribe(topic, (message) => {
        if (counts.has(topic)) onMessage(topic, message);
      })
      .catch((error: unknown) => {
        onError(error);
        return undefined;
      });
    unsubscribes.set(topic, pending);
    // Released before it was in place (or acquired again since): nothing to tell.
    const current = () => unsubscribes.get(topic) === pending;
    readies.set(
      topic,
      pending.then((stop) => (stop && current() ? hooks.subscribed(topic) : undefined)).catch(onError),
    );
  };

  const unsubscribe = (topic: string) => {
    const pending = unsubscribes.get(topic);
    unsubscribes.delete(topic);
    readies.delete(topic);
    hooks.unsubscribed(topic);
    void pending?.then((stop) => stop?.()).catch(onError);
  };

  return {
    acquire(topic) {
      const count = counts.get(topic) ?? 0;
      counts.set(topic, count + 1);
      if (count === 0) subscribe(topic);
    },
    release(topic) {
      const count = counts.get(topic);
      if (count === undefined) return;
      if (count > 1) counts.set(topic, count - 1);
      else {
        counts.delete(topic);
        unsubscribe(topic);
      }
    },
    ready: (topic) => readies.get(topic) ?? Promise.resolve(),
    topics: () => [...counts.keys()].sort(),
    async close() {
      const all = [...unsubscribes.values()];
      counts.clear();
      unsubscribes.clear();
      readies.clear();
      await Promise.all(all.map((p) => p.then((stop) => stop?.()).catch(onError)));
    },
  };
}

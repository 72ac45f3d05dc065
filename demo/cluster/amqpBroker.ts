import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import type { Broker, Unsubscribe } from "../gateway/broker";

/** Default broker URL (`AMQP_URL` overrides it). */
export const DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672";

/** RabbitMQ did not answer when a node or the producer started. */
export class BrokerUnreachableError extends Error {
  override readonly name = "BrokerUnreachableError";
}

/** A message could not be published: the connection to RabbitMQ is down. */
export class BrokerDownError extends Error {
  override readonly name = "BrokerDownError";
}

export interface AmqpBrokerOptions {
  url: string;
  /** The topic exchange (declared non-durable). */
  exchange: string;
  /** This node's queue: exclusive, auto-deleted with its connection. Omit for a publisher. */
  queue?: string;
  /** Shown by RabbitMQ as the connection's name (`rabbitmqctl list_connections client_properties`). */
  name?: string;
  /** A broken connection and each failed reconnect attempt. */
  onError: (error: unknown) => void;
  /** After a reconnect: the exchange, the queue and every binding are back. */
  onReconnect?: () => void;
  /** First and longest delay between reconnect attempts (ms). Default env AMQP_RETRY_MS or 100 / 2,000. */
  retryMs?: { first: number; max: number };
}

/** The `Broker` seam on RabbitMQ: one queue per node, bound to a routing key per subscribed topic. */
export interface AmqpBroker extends Broker {
  readonly queue: string | undefined;
  /** Routing keys bound to this node's queue now, as RabbitMQ confirmed them. */
  bindings(): string[];
  connected(): boolean;
  /** Messages RabbitMQ delivered to this node's queue since it started. */
  received(): number;
}

/** `amqp://user:secret@host` → `amqp://user:***@host` for messages. */
export const redactUrl = (url: string): string => url.replace(/(\/\/[^:/@]+:)[^@]*@/, "$1***@");

/**
 * Connects (rejecting with {@link BrokerUnreachableError} when RabbitMQ does not answer),
 * declares the exchange and the queue, and binds a topic's routing key exactly while it has
 * handlers. A lost connection is re-opened with backoff: declarations and bindings are redone.
 */
export async function createAmqpBroker(options: AmqpBrokerOptions): Promise<AmqpBroker> {
  const { exchange, queue } = options;
  const first = Number(process.env.AMQP_RETRY_MS) || 100;
  const retry = options.retryMs ?? { first, max: Math.max(first, 2000) };
  const handlers = new Map<string, Set<(message: string) => void>>();
  const bound = new Set<string>();
  let model: ChannelModel | null = null;
  let channel: ConfirmChannel | null = null;
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  // Bindings change one at a time, in call order, so a bind and an unbind never cross.
  let ops: Promise<void> = Promise.resolve();
  const serial = (op: () => Promise<void>): Promise<void> => (ops = ops.then(op, op));

  let received = 0;
  const dispatch = (key: string, content: Buffer) => {
    received++;
    const set = handlers.get(key);
    if (!set) return;
    const message = content.toString("utf8");
    for (const handler of [...set]) handler(message);
  };

  const open = async () => {
    const m = await amqp.connect(
      options.url,
      options.name === undefined ? {} : { clientProperties: { connection_name: options.name } },
    );
    try {
      m.on("error", () => {}); // `close` follows with the reason
      const ch = await m.createConfirmChannel();
      ch.on("error", () => {});
      await ch.assertExchange(exchange, "topic", { durable: false });
      bound.clear();
      if (queue !== undefined) {
        await ch.assertQueue(queue, { exclusive: true, autoDelete: true, durable: false });
        await ch.consume(queue, (msg) => msg && dispatch(msg.fields.routingKey, msg.content), {
          noAck: true,
        });
        for (const key of handlers.keys()) {
          await ch.bindQueue(queue, exchange, key);
          bound.add(key);
        }
      }
      m.on("close", (error?: Error) => lost(m, error));
      // A channel closed by RabbitMQ alone (an exchange deleted under it…) is of no further
      // use: dropping the connection makes the reconnect path declare everything again.
      ch.on("close", () => {
        if (!closing && channel === ch) m.close().catch(() => lost(m, new Error("channel closed")));
      });
      model = m;
      channel = ch;
    } catch (error) {
      await m.close().catch(() => {});
      throw error;
    }
  };

  const lost = (m: ChannelModel, error: Error | undefined) => {
    if (closing || model !== m) return;
    model = null;
    channel = null;
    bound.clear();
    options.onError(new BrokerDownError(`lost RabbitMQ: ${error?.message ?? "connection closed"}`));
    reconnect(retry.first);
  };

  const reconnect = (delay: number) => {
    timer = setTimeout(() => {
      timer = null;
      serial(async () => {
        if (closing) return;
        try {
          await open();
          options.onReconnect?.();
        } catch (error) {
          options.onError(error);
          reconnect(Math.min(delay * 2, retry.max));
        }
      }).catch(options.onError);
    }, delay);
  };

  const bind = (key: string) =>
    serial(async () => {
      if (!channel || queue === undefined || bound.has(key) || !handlers.has(key)) return;
      await channel.bindQueue(queue, exchange, key);
      bound.add(key);
    });
  const unbind = (key: string) =>
    serial(async () => {
      if (!channel || queue === undefined || !bound.has(key) || handlers.has(key)) return;
      await channel.unbindQueue(queue, exchange, key);
      bound.delete(key);
    });

  try {
    await open();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BrokerUnreachableError(
      `cannot reach RabbitMQ at ${redactUrl(options.url)} (${reason}); start it or set AMQP_URL`,
      { cause: error },
    );
  }

  return {
    queue,
    async subscribe(topic, handler): Promise<Unsubscribe> {
      if (queue === undefined) throw new Error("this broker publishes only (no queue)");
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      const entry = (message: string) => handler(message);
      set.add(entry);
      // While RabbitMQ is down the binding waits for the reconnect (which redoes them all).
      await bind(topic).catch(options.onError);
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        const current = handlers.get(topic);
        current?.delete(entry);
        if (current?.size !== 0) return;
        handlers.delete(topic);
        await unbind(topic).catch(options.onError);
      };
    },
    /** Resolves once RabbitMQ confirmed the message; rejects with {@link BrokerDownError} otherwise. */
    publish(topic, message) {
      const ch = channel;
      if (!ch) return Promise.reject(new BrokerDownError(`RabbitMQ is down: ${topic} not published`));
      return new Promise<void>((resolve, reject) => {
        const down = (error: unknown) =>
          reject(new BrokerDownError(`${topic} not confirmed: ${String(error)}`));
        try {
          ch.publish(exchange, topic, Buffer.from(message, "utf8"), {}, (error: unknown) =>
            error ? down(error) : resolve(),
          );
        } catch (error) {
          down(error); // the channel closed before `close` reached us
        }
      });
    },
    bindings: () => [...bound].sort(),
    connected: () => channel !== null,
    received: () => received,
    async close() {
      closing = true;
      if (timer) clearTimeout(timer);
      handlers.clear();
      await ops.catch(() => {});
      const m = model;
      model = null;
      channel = null;
      bound.clear();
      await m?.close().catch(() => {});
    },
  };
}

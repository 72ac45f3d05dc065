import amqp from "amqplib";
import { afterEach, describe, expect, it } from "vitest";
import { BrokerDownError, BrokerUnreachableError, createAmqpBroker, type AmqpBroker } from "../amqpBroker";
import { brokerBindings, closeConnections } from "../rabbitmqctl";
import { AMQP_URL, RABBITMQCTL_TEST_MS, uniquePrefix } from "./clusterHarness";
import { until } from "./until";

const opened: AmqpBroker[] = [];
const exchanges: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.close()));
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  for (const exchange of exchanges.splice(0)) await channel.deleteExchange(exchange);
  await connection.close();
});

async function pair(label: string, onReconnect?: () => void) {
  const prefix = uniquePrefix(label);
  const exchange = `${prefix}.events`;
  exchanges.push(exchange);
  const errors: unknown[] = [];
  const node = await createAmqpBroker({
    url: AMQP_URL,
    exchange,
    queue: `${prefix}.node`,
    name: `${prefix} node`,
    onError: (e) => errors.push(e),
    ...(onReconnect ? { onReconnect } : {}),
  });
  const publisher = await createAmqpBroker({
    url: AMQP_URL,
    exchange,
    name: `${prefix} publisher`,
    onError: (e) => errors.push(e),
  });
  opened.push(node, publisher);
  return { prefix, exchange, node, publisher, errors };
}

/** Resolves once the handlers have pushed `count` messages into `into`. */
function received(into: string[], count: number): Promise<void> {
  return until(
    async () => into.length,
    (n) => n >= count,
    5000,
    10,
  ).then(() => {});
}

describe("amqpBroker", { timeout: RABBITMQCTL_TEST_MS }, () => {
  it("fails at start with a clear, typed error when RabbitMQ does not answer", async () => {
    const error = await createAmqpBroker({
      url: "amqp://guest:secret@127.0.0.1:1",
      exchange: "x",
      queue: "q",
      onError: () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnreachableError);
    expect((error as Error).message).toMatch(
      /^cannot reach RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1 \(.+\); start it or set AMQP_URL$/,
    );
  });

  it("binds a routing key while it has subscribers and delivers only those topics", async () => {
    const { exchange, node, publisher } = await pair("bind");
    const got: string[] = [];
    const stopA = await node.subscribe("42", (m) => got.push(`a:${m}`));
    const stopB = await node.subscribe("42", (m) => got.push(`b:${m}`));
    const stopLogs = await node.subscribe("42_logs", (m) => got.push(`logs:${m}`));
    expect(node.bindings()).toEqual(["42", "42_logs"]);
    expect(await brokerBindings(exchange, node.queue!)).toEqual(["42", "42_logs"]);
    await publisher.publish("7", "other guild");
    await publisher.publish("42", "one");
    await publisher.publish("42_logs", "two");
    await received(got, 3);
    expect(got).toEqual(["a:one", "b:one", "logs:two"]);

    await stopA();
    expect(node.bindings()).toEqual(["42", "42_logs"]);
    await stopB();
    await stopLogs();
    expect(node.bindings()).toEqual([]);
    expect(await brokerBindings(exchange, node.queue!)).toEqual([]);
  });

  it("reconnects when RabbitMQ drops it: the queue and every binding are back", async () => {
    let reconnects = 0;
    const { prefix, exchange, node, publisher, errors } = await pair("reconnect", () => reconnects++);
    const got: string[] = [];
    await node.subscribe("42", (m) => got.push(m));
    expect(await closeConnections(prefix)).toBe(2);
    await until(
      async () => reconnects,
      (n) => n === 1,
    );
    expect(errors.some((e) => e instanceof Error && e.name === "BrokerDownError")).toBe(true);
    expect(node.bindings()).toEqual(["42"]);
    expect(await brokerBindings(exchange, node.queue!)).toEqual(["42"]);
    await until(async () => publisher.connected(), Boolean);
    await publisher.publish("42", "after");
    await received(got, 1);
    expect(got).toEqual(["after"]);
  });

  it("a channel RabbitMQ closes (its exchange deleted under it) is replaced: the exchange is declared again", async () => {
    const prefix = uniquePrefix("channel");
    const exchange = `${prefix}.events`;
    exchanges.push(exchange);
    let reconnects = 0;
    const publisher = await createAmqpBroker({
      url: AMQP_URL,
      exchange,
      name: `${prefix} publisher`,
      onError: () => {},
      onReconnect: () => reconnects++,
    });
    opened.push(publisher);
    const check = async () => {
      const connection = await amqp.connect(AMQP_URL);
      const channel = await connection.createChannel();
      channel.on("error", () => {});
      const exists = await channel.checkExchange(exchange).then(
        () => true,
        () => false,
      );
      await connection.close().catch(() => {});
      return exists;
    };
    const connection = await amqp.connect(AMQP_URL);
    await (await connection.createChannel()).deleteExchange(exchange);
    await connection.close();
    expect(await check()).toBe(false);
    expect(await publisher.publish("42", "into nothing").catch((e: unknown) => e)).toBeInstanceOf(
      BrokerDownError,
    );
    await until(
      async () => reconnects,
      (n) => n === 1,
    );
    expect(await check()).toBe(true);
    await publisher.publish("42", "confirmed");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogOtherPayload } from "../../../src/protocol";
import { closeConnections } from "../rabbitmqctl";
import { RABBITMQCTL_TEST_MS, guildId, startClusterHarness, type ClusterHarness } from "./clusterHarness";

let h: ClusterHarness;
beforeAll(async () => {
  // Reconnects wait 1 s: publications in between find RabbitMQ down, every run.
  h = await startClusterHarness("outage", 2, { AMQP_RETRY_MS: "1000" });
}, 120_000);
afterAll(async () => h?.stop(), 60_000);

const hub = guildId("Architus Hub");
const small = guildId("Small Talk");

interface ProducerCounts {
  published: number;
  unpublished: number;
  republished: number;
}
const producerCounts = async () =>
  (await (await fetch(`${h.cluster.producer.url}/stats`)).json()) as ProducerCounts;

describe("RabbitMQ drops the cluster's connections", { timeout: RABBITMQCTL_TEST_MS }, () => {
  it("nodes reconnect, re-bind and deliver what was published meanwhile from history, each entry once", async () => {
    const watchers = await Promise.all(
      h.cluster.nodes.map(async (node) => {
        const { client, token } = await h.userClient(node.url, "dave");
        await client.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
        return client;
      }),
    );
    await h.publish(hub, "message", 5);
    // Every node's connection, as a restart of RabbitMQ would (their queues go with them); the
    // producer keeps its own, so RabbitMQ confirms what follows and nothing is published again.
    expect(await closeConnections(`${h.names.prefix} node `)).toBe(h.cluster.nodes.length);
    // Nothing is published after these: only each node's catch-up from history can deliver them.
    await h.publish(hub, "message", 20);
    for (const client of watchers) {
      await client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 25);
      expect(client.of("log_other").map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    }
    for (const node of h.cluster.nodes)
      expect((await h.stats(node.url)).broker.bindings).toEqual([hub, `${hub}_logs`].sort());
    expect(await producerCounts()).toMatchObject({ published: 25, unpublished: 0, republished: 0 });
    for (const client of watchers) client.close();
  });

  it("the producer alone loses RabbitMQ: what it could not publish is published again from history", async () => {
    const watchers = await Promise.all(
      h.cluster.nodes.map(async (node) => {
        const { client, token } = await h.userClient(node.url, "alice");
        await client.ask("spectate", { token, guild_id: small, include_logs: true }, "spectate_return");
        return client;
      }),
    );
    await h.publish(small, "message", 3);
    const before = await producerCounts();
    expect(await closeConnections(`${h.names.prefix} producer`)).toBe(1);
    // Nothing is published after these: only the producer's republication can deliver them.
    await h.publish(small, "message", 10);
    for (const client of watchers) {
      await client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 13);
      expect(client.of("log_other").map((e) => e.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    }
    const after = await producerCounts();
    expect(after.unpublished - before.unpublished).toBe(10);
    expect(after.republished - before.republished).toBe(10);
  });
});

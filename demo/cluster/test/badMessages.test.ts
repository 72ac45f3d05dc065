import amqp from "amqplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogOtherPayload, LogPoolPayload } from "../../../src/protocol";
import { AMQP_URL, guildId, startClusterHarness, type ClusterHarness } from "./clusterHarness";

let h: ClusterHarness;
beforeAll(async () => {
  h = await startClusterHarness("bad", 1);
}, 120_000);
afterAll(async () => h?.stop(), 60_000);

const hub = guildId("Architus Hub");
const other = guildId("Midnight Guild");

/** Publishes raw messages on the cluster's exchange, as something other than its producer. */
async function publishRaw(messages: [routingKey: string, body: string][]): Promise<void> {
  const connection = await amqp.connect(AMQP_URL);
  try {
    const channel = await connection.createConfirmChannel();
    for (const [key, body] of messages) channel.publish(h.names.exchange, key, Buffer.from(body));
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

describe("a malformed message on the exchange", () => {
  it("is counted and logged by the node, which goes on delivering its topics", async () => {
    const [node] = h.cluster.nodes;
    const { client, token } = await h.userClient(node!.url, "dave");
    await client.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    await h.publish(hub, "message", 2);
    await h.publish(hub, "pool_update", 1);
    await client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 2);
    await client.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 1);
    const [entry] = client.of("log_other").slice(-1);
    const [change] = client.of("log_pool");

    // Not JSON, a string seq, another guild's, far ahead of history, a change without its entity.
    await publishRaw([
      [`${hub}_logs`, "not json {"],
      [`${hub}_logs`, JSON.stringify({ ...entry, seq: "3" })],
      [`${hub}_logs`, JSON.stringify({ ...entry, guild_id: other, seq: 3 })],
      [`${hub}_logs`, JSON.stringify({ ...entry, seq: 999 })],
      [hub, JSON.stringify({ ...change, seq: 2, updates: [{ type: "member", op: "add", id: "5" }] })],
    ]);
    await h.publish(hub, "message", 3);
    await h.publish(hub, "pool_update", 1);
    await client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 5);
    await client.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 2);

    expect(client.of("log_other").map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(client.of("log_pool").map((e) => e.seq)).toEqual([1, 2]);
    expect(client.of("log_pool")[1]).not.toEqual({
      ...change,
      seq: 2,
      updates: [{ type: "member", op: "add", id: "5" }],
    });
    const stats = (await (await fetch(`${node!.url}/stats`)).json()) as {
      pid: number;
      broker: { bad_messages: number; connected: boolean };
    };
    expect(stats).toMatchObject({ pid: node!.pid, broker: { bad_messages: 5, connected: true } });
    client.close();
  });
});

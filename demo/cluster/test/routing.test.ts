import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogOtherPayload, LogPoolPayload } from "../../../src/protocol";
import { TestClient } from "../../gateway/test/testClient";
import { brokerBindings } from "../rabbitmqctl";
import {
  RABBITMQCTL_TEST_MS,
  RABBITMQCTL_WAIT_MS,
  guildId,
  startClusterHarness,
  type ClusterHarness,
} from "./clusterHarness";
import { until } from "./until";

let h: ClusterHarness;
beforeAll(async () => {
  h = await startClusterHarness("routing");
}, 120_000);
afterAll(async () => h?.stop(), 60_000);

const hub = guildId("Architus Hub");
const midnight = guildId("Midnight Guild");
const small = guildId("Small Talk");
const tiny = guildId("Tiny Test");

const seqsOf = (c: TestClient, event: "log_other" | "log_pool", from = 0) =>
  c.of(event, from).map((p) => ({ guild: p.guild_id, seq: p.seq }));

describe("a cluster of 3 nodes on RabbitMQ", { timeout: RABBITMQCTL_TEST_MS }, () => {
  it("delivers to clients on different nodes exactly their own guild's events", async () => {
    const [n1, n2, n3] = h.cluster.nodes.map((n) => n.url);
    const spectators = [
      { url: n1!, user: "dave", guild: hub },
      { url: n2!, user: "dave", guild: midnight },
      { url: n3!, user: "alice", guild: tiny },
    ];
    const clients = await Promise.all(
      spectators.map(async (s) => {
        const { client, token } = await h.userClient(s.url, s.user);
        await client.ask("spectate", { token, guild_id: s.guild, include_logs: true }, "spectate_return");
        return client;
      }),
    );
    // Nobody spectates Small Talk: published first, it would arrive first if it leaked.
    await h.publish(small, "message", 3);
    for (const s of spectators) {
      await h.publish(s.guild, "message", 4);
      await h.publish(s.guild, "pool_update", 2);
    }
    for (const [i, c] of clients.entries()) {
      const guild = spectators[i]!.guild;
      await c.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 2);
      expect(seqsOf(c, "log_other")).toEqual([1, 2, 3, 4].map((seq) => ({ guild, seq })));
      expect(seqsOf(c, "log_pool")).toEqual([1, 2].map((seq) => ({ guild, seq })));
    }
    for (const c of clients) c.close();
  });

  it("forwards a node's dev endpoint to the producer: one publication, numbered once, seen on every node", async () => {
    const [n1, n2, n3] = h.cluster.nodes.map((n) => n.url);
    const clients = await Promise.all(
      [n1!, n2!].map(async (url) => {
        const { client, token } = await h.userClient(url, "bob");
        const ret = await client.ask(
          "spectate",
          { token, guild_id: small, include_logs: true },
          "spectate_return",
        );
        return { client, from: ret.logs_seq };
      }),
    );
    await h.publish(small, "message", 2, n3);
    for (const { client, from } of clients) {
      await client.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === from + 2);
      expect(seqsOf(client, "log_other")).toEqual([from + 1, from + 2].map((seq) => ({ guild: small, seq })));
      client.close();
    }
  });

  it("takes WebSocket connections through the balancer and refuses long polling, which could hop between nodes", async () => {
    const ws = new TestClient(h.cluster.url);
    await ws.connected();
    ws.close();
    // A long-polling handshake is refused by whichever node the balancer picks.
    for (let i = 0; i < h.cluster.nodes.length; i++) {
      const res = await fetch(`${h.cluster.url}/socket.io/?EIO=4&transport=polling`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 0, message: "Transport unknown" });
    }
  });

  it("binds a node's queue to a guild's keys exactly while its sockets spectate it (stats and RabbitMQ agree)", async () => {
    const [n1, n2] = h.cluster.nodes;
    const queue = h.names.queue(1);
    const view = async () => ({
      stats: (await h.stats(n1!.url)).broker.bindings,
      rabbit: await brokerBindings(h.names.exchange, queue),
    });
    const expectBindings = async (keys: string[]) =>
      expect(
        await until(
          view,
          (v) => v.stats.join() === keys.join() && v.rabbit.join() === keys.join(),
          RABBITMQCTL_WAIT_MS,
        ),
      ).toEqual({
        stats: keys,
        rabbit: keys,
      });
    await expectBindings([]);

    const dave = await h.userClient(n1!.url, "dave");
    // dave may not see Small Talk (not his guild): a 403 binds nothing.
    const refused = await dave.client.fails("spectate", {
      token: dave.token,
      guild_id: small,
      include_logs: true,
    });
    expect(refused.code).toBe(403);
    await expectBindings([]);
    await dave.client.ask(
      "spectate",
      { token: dave.token, guild_id: midnight, include_logs: true },
      "spectate_return",
    );
    await expectBindings([midnight, `${midnight}_logs`].sort());
    expect((await h.stats(n1!.url)).topics).toEqual([midnight, `${midnight}_logs`].sort());

    // carol may not read logs: her spectate holds the pool key only.
    const carol = await h.userClient(n1!.url, "carol");
    await carol.client.ask(
      "spectate",
      { token: carol.token, guild_id: midnight, include_logs: true },
      "spectate_return",
    );
    await dave.client.ask(
      "spectate",
      { token: dave.token, guild_id: null, include_logs: false },
      "spectate_return",
    );
    await expectBindings([midnight]);
    carol.client.close();
    await expectBindings([]);
    // Another node never bound anything.
    expect((await h.stats(n2!.url)).broker.bindings).toEqual([]);
    expect(await brokerBindings(h.names.exchange, h.names.queue(2))).toEqual([]);
  });

  it("sends a private log entry only to sockets allowed to see it, on every node", async () => {
    const watchers = await Promise.all(
      h.cluster.nodes.flatMap((node) =>
        ["dave", "bob", "carol"].map(async (user) => {
          const { client, token } = await h.userClient(node.url, user);
          const ret = await client.ask(
            "spectate",
            { token, guild_id: hub, include_logs: true },
            "spectate_return",
          );
          return { user, client, from: client.frames.length, logsFrom: ret.logs_seq, poolFrom: ret.pool_seq };
        }),
      ),
    );
    await h.publish(hub, "private_message", 3);
    await h.publish(hub, "message", 2);
    // The pool topic shares the node's queue: once it arrives, every log entry before it has too.
    await h.publish(hub, "pool_update", 1);
    for (const w of watchers) {
      await w.client.waitFor(
        (f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === w.poolFrom + 1,
      );
      const entries = w.client.of("log_other", w.from) as LogOtherPayload[];
      const seqs = entries.map((e) => e.seq - w.logsFrom);
      if (w.user === "dave") expect(seqs).toEqual([1, 2, 3, 4, 5]);
      if (w.user === "bob") expect(seqs).toEqual([4, 5]);
      if (w.user === "carol") expect(seqs).toEqual([]);
      expect(entries.filter((e) => e.action.private).length).toBe(w.user === "dave" ? 3 : 0);
    }
  });
});

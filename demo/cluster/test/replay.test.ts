import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  Entity,
  LogOtherPayload,
  LogPoolPayload,
  PoolResponsePayload,
  PoolType,
} from "../../../src/protocol";
import type { Frame, TestClient } from "../../gateway/test/testClient";
import { DATASET_EPOCH } from "../../gateway/createGateway";
import { generateDataset } from "../../gateway/dataset/generateDataset";
import { readSince } from "../redisHistory";
import { until } from "./until";
import { MEMBERS, guildId, startClusterHarness, type ClusterHarness } from "./clusterHarness";

let h: ClusterHarness;
beforeAll(async () => {
  h = await startClusterHarness("replay");
}, 120_000);
afterAll(async () => h?.stop(), 60_000);

const hub = guildId("Architus Hub");
const midnight = guildId("Midnight Guild");

describe("replay across nodes", () => {
  it("a client that moves to another node with since gets exactly what it missed, then live entries", async () => {
    const [n1, n2] = h.cluster.nodes;
    const first = await h.userClient(n1!.url, "dave");
    await first.client.ask(
      "spectate",
      { token: first.token, guild_id: hub, include_logs: true },
      "spectate_return",
    );
    await h.publish(hub, "message", 5);
    await h.publish(hub, "pool_update", 2);
    await first.client.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 2);
    first.client.close();

    // Missed while away (published with no spectator anywhere).
    await h.publish(hub, "message", 4);
    await h.publish(hub, "private_message", 3);
    await h.publish(hub, "pool_update", 3);
    const second = await h.userClient(n2!.url, "dave");
    const from = second.client.frames.length;
    const ret = await second.client.ask(
      "spectate",
      { token: second.token, guild_id: hub, include_logs: true, since: { pool: 2, logs: 5 } },
      "spectate_return",
    );
    expect(ret).toMatchObject({ pool_seq: 5, logs_seq: 12, replayed: 10 });
    await second.client.waitFor(
      (f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 12,
      from,
    );
    const history = async (topic: string, seq: number) =>
      (await readSince(h.redis, h.names.streams, topic, seq, 1000))!.map((e) => e.payload);
    const frames = second.client.frames.slice(from);
    expect(frames.filter((f) => f.event === "log_other").map((f) => f.raw)).toEqual(
      await history(`${hub}_logs`, 5),
    );
    expect(frames.filter((f) => f.event === "log_pool").map((f) => f.raw)).toEqual(await history(hub, 2));

    await h.publish(hub, "message", 1);
    await second.client.waitFor(
      (f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 13,
      from,
    );
    const seqs = second.client.of("log_other", from).map((p) => p.seq);
    expect(seqs).toEqual([6, 7, 8, 9, 10, 11, 12, 13]);
    second.client.close();
  });

  it("answers replayed: -1 when the gap is older than history", async () => {
    await h.publish(midnight, "message", 1005);
    const { client, token } = await h.userClient(h.cluster.nodes[2]!.url, "dave");
    const gap = await client.ask(
      "spectate",
      { token, guild_id: midnight, include_logs: true, since: { logs: 2 } },
      "spectate_return",
    );
    expect(gap).toMatchObject({ logs_seq: 1005, replayed: -1 });
    const ok = await client.ask(
      "spectate",
      { token, guild_id: midnight, include_logs: true, since: { logs: 5 } },
      "spectate_return",
    );
    expect(ok).toMatchObject({ logs_seq: 1005, replayed: 1000 });
    client.close();
  });

  it("a node serves a guild's pools with the changes published while it was not bound to it", async () => {
    const [n1, , n3] = h.cluster.nodes;
    const watcher = await h.userClient(n1!.url, "alice");
    const ret = await watcher.client.ask(
      "spectate",
      { token: watcher.token, guild_id: midnight, include_logs: false },
      "spectate_return",
    );
    await h.publish(midnight, "pool_update", 12);
    await watcher.client.waitFor(
      (f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === ret.pool_seq + 12,
    );
    // Node 3 has no spectator of Midnight: it never received those changes live.
    await until(
      () => h.stats(n3!.url),
      (stats) => stats.broker.bindings.length === 0,
    );
    const reader = await h.userClient(n3!.url, "alice");
    const pristine = generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: MEMBERS }).guilds.get(
      midnight,
    )!;
    const all = async (client: TestClient, token: string, type: PoolType) => {
      const from = client.frames.length;
      const first = (await client.request("pool_all_request", { token, type, guild_id: midnight }))
        .payload as PoolResponsePayload;
      const mine = (f: Frame) =>
        f.event === "pool_response" && (f.payload as PoolResponsePayload)._id === first._id;
      await client.waitFor((f) => mine(f) && (f.payload as PoolResponsePayload).finished, from);
      const data = client.frames
        .slice(from)
        .filter(mine)
        .flatMap((f) => (f.payload as PoolResponsePayload).data);
      return new Map(data.map((e: Entity) => [e.id, e]));
    };
    let changed = 0;
    for (const type of [
      "member",
      "channel",
      "role",
      "autoResponse",
      "settingValue",
      "customEmoji",
    ] as const) {
      const live = await all(watcher.client, watcher.token, type);
      const caughtUp = await all(reader.client, reader.token, type);
      expect(caughtUp).toEqual(live);
      const before = new Map<string, Entity>(
        [...pristine.pools[type].values()].map((e) => [e.id, e as Entity]),
      );
      if (JSON.stringify([...before]) !== JSON.stringify([...live])) changed++;
    }
    // The 12 changes touched at least one pool: the comparison above was not between two pristine copies.
    expect(changed).toBeGreaterThan(0);
  });
});

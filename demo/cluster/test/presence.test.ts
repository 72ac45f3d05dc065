import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogPresencePayload, Member, PoolResponsePayload, PresenceStatus } from "../../../src/protocol";
import type { TestClient } from "../../gateway/test/testClient";
import { PRESENCE_FLUSH_MS } from "../../gateway/presenceFlusher";
import { guildId, startClusterHarness, type ClusterHarness } from "./clusterHarness";
import { until } from "./until";

let h: ClusterHarness;
beforeAll(async () => {
  h = await startClusterHarness("presence", 2);
}, 120_000);
afterAll(async () => h?.stop(), 60_000);

const hub = guildId("Architus Hub");

/** The online snapshot a client gets: its members' statuses and the presence seq it reflects. */
async function onlineSnapshot(c: TestClient, token: string) {
  const _id = c.id();
  const from = c.frames.length;
  c.send("pool_all_request", { _id, token, type: "member", guild_id: hub, filter: "online" });
  await c.waitFor((f) => {
    const p = f.payload as PoolResponsePayload;
    return f.event === "pool_response" && p._id === _id && p.finished;
  }, from);
  const frames = c.of("pool_response", from).filter((p) => p._id === _id);
  const statuses = new Map<string, PresenceStatus | undefined>(
    frames.flatMap((f) => (f.data as Member[]).map((m) => [m.id, m.status])),
  );
  return { statuses, seq: frames[0]?.presence_seq };
}

/** Publishes presence changes until the producer's presence seq passed `seq` (a flush may change nothing). */
async function flushPast(seq: number): Promise<number> {
  for (;;) {
    await h.publish(hub, "presence", 50);
    await new Promise((r) => setTimeout(r, PRESENCE_FLUSH_MS + 100));
    const latest = await h.latestPresence(hub);
    if (latest > seq) return latest;
  }
}

describe("presence in a cluster (PROTOCOL.md Extension 2)", () => {
  it("binds <guild>_presence only on a node whose socket includes presence; frames reach only those sockets", async () => {
    const [n1, n2] = h.cluster.nodes.map((n) => n.url);
    const a = await h.userClient(n1!, "bob");
    const b = await h.userClient(n2!, "bob");
    const withPresence = await a.client.ask(
      "spectate",
      { token: a.token, guild_id: hub, include_logs: false, include_presence: true },
      "spectate_return",
    );
    expect(withPresence.include_presence).toBe(true);
    await b.client.ask("spectate", { token: b.token, guild_id: hub, include_logs: false }, "spectate_return");
    expect((await h.stats(n1!)).topics).toContain(`${hub}_presence`);
    expect((await h.stats(n2!)).topics).not.toContain(`${hub}_presence`);

    const latest = await flushPast(withPresence.presence_seq ?? 0);
    await a.client.waitFor(
      (f) => f.event === "log_presence" && (f.payload as LogPresencePayload).seq === latest,
    );
    expect(a.client.of("log_presence").map((f) => f.seq)).toEqual(
      Array.from(
        { length: latest - (withPresence.presence_seq ?? 0) },
        (_, i) => (withPresence.presence_seq ?? 0) + i + 1,
      ),
    );
    expect(b.client.of("log_presence")).toEqual([]);

    // Both nodes answer the same snapshot: node 2 is not bound, so it catches its copy up first.
    const [fromBound, fromUnbound] = await Promise.all([
      onlineSnapshot(a.client, a.token),
      onlineSnapshot(b.client, b.token),
    ]);
    expect(fromBound.seq).toBe(latest);
    expect(fromUnbound.seq).toBe(latest);
    expect(fromUnbound.statuses).toEqual(fromBound.statuses);
    expect(fromBound.statuses.size).toBeGreaterThan(0);
    // Nobody on node 1 includes presence any more: it lets the topic go.
    await a.client.ask(
      "spectate",
      { token: a.token, guild_id: hub, include_logs: false, include_presence: false },
      "spectate_return",
    );
    await until(
      () => h.stats(n1!),
      (s) => !s.topics.includes(`${hub}_presence`),
    );
    a.client.close();
    b.client.close();
  });

  it("a client moving to another node with since.presence is replayed what it missed, from Redis", async () => {
    const [n1, n2] = h.cluster.nodes.map((n) => n.url);
    const first = await h.userClient(n1!, "dave");
    const ret = await first.client.ask(
      "spectate",
      { token: first.token, guild_id: hub, include_logs: false, include_presence: true },
      "spectate_return",
    );
    const seen = ret.presence_seq ?? 0;
    first.client.close();
    const missedUntil = await flushPast(seen);
    const second = await h.userClient(n2!, "dave");
    const from = second.client.frames.length;
    const back = await second.client.ask(
      "spectate",
      {
        token: second.token,
        guild_id: hub,
        include_logs: false,
        include_presence: true,
        since: { presence: seen },
      },
      "spectate_return",
    );
    expect(back).toMatchObject({
      include_presence: true,
      presence_seq: missedUntil,
      replayed: missedUntil - seen,
    });
    await second.client.waitFor(
      (f) => f.event === "log_presence" && (f.payload as LogPresencePayload).seq === missedUntil,
      from,
    );
    expect(second.client.of("log_presence", from).map((f) => f.seq)).toEqual(
      Array.from({ length: missedUntil - seen }, (_, i) => seen + i + 1),
    );
    second.client.close();
  });
});

import { describe, expect, it } from "vitest";
import { TOKEN_ITEM, type ConnectionState, type LogBatch, type SubscriptionSpec } from "../shared";
import { createGatewayClient } from "./connectGateway";
import { SESSION_WAIT_MS } from "./restartRecovery";
import {
  AUTHENTICATED,
  SETTINGS,
  createFakeEnvironment,
  flush,
  flushUntil,
  type FakeConnection,
  type FakeEnvironment,
} from "./test/fakeEnvironment";

const GUILD = "10";

/** Ends the worker and waits until the tab said hello to the next one. */
async function restart(fake: FakeEnvironment): Promise<FakeConnection> {
  const dead = fake.worker();
  dead.die();
  await flushUntil(
    () => fake.workers[fake.workers.length - 1] !== dead && fake.worker().connections.opened > 0,
  );
  await flush();
  const next = fake.connections[fake.connections.length - 1];
  if (!next) throw new Error("no connection");
  return next;
}

const idOf = (conn: FakeConnection, kind: SubscriptionSpec["kind"]): number => {
  for (const [id, spec] of conn.subscriptions()) if (spec.kind === kind) return id;
  throw new Error(`no ${kind} subscription`);
};

describe("what a tab tells a new worker after its worker ended", () => {
  it("its subscriptions (logs$ after its last seq), its token, then its guild", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    const batches: LogBatch[] = [];
    const states: ConnectionState[] = [];
    client.logs$(GUILD).subscribe({ next: (b) => batches.push(b), error: () => {} });
    client.connection$.subscribe({ next: (s) => states.push(s), error: () => {} });
    await client.login("a.b.c");
    await client.spectate(GUILD);
    const first = fake.connections[0];
    if (!first) throw new Error("no connection");
    first.deliver([{ s: idOf(first, "logs"), t: "logs", json: JSON.stringify([{ seq: 5 }]) }]);
    await flush();
    expect(batches.map((b) => b.map((e) => e.seq))).toEqual([[5]]);

    const next = await restart(fake);
    await flushUntil(() => next.calls("spectate").length > 0);
    expect(states).toEqual([expect.objectContaining({ status: "reconnecting", url: SETTINGS.url })]);
    // No gap: the stream resumes after seq 5 on the new worker, which says if it cannot.
    expect(batches).toHaveLength(1);
    expect([...next.subscriptions().values()]).toEqual(
      expect.arrayContaining([{ kind: "logs", guildId: GUILD, since: 5 }, { kind: "connection" }]),
    );
    expect(next.calls("login")).toEqual([["a.b.c"]]);
    expect(next.calls("spectate")).toEqual([[GUILD, { guildId: GUILD, includeLogs: true }]]);
    const order = next.received.map((r) => r.method).filter((m) => m === "login" || m === "spectate");
    expect(order).toEqual(["login", "spectate"]);
    await client.close();
  });

  it("a logs$ that had no entry yet gets a worker_restart gap", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    const batches: LogBatch[] = [];
    client.logs$(GUILD).subscribe({ next: (b) => batches.push(b), error: () => {} });
    await client.ready;
    await flush();
    await restart(fake);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(0);
    expect(batches[0]?.gap).toEqual({
      guildId: GUILD,
      reason: "worker_restart",
      afterSeq: null,
      untilSeq: null,
    });
    await client.close();
  });

  it("a tab without a token waits for another tab's login, then spectates its guild again", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    await client.spectate(GUILD, { includeLogs: false });
    const next = await restart(fake);
    await flushUntil(() => next.calls("subscribe").length > 0);
    expect(next.calls("login")).toEqual([]);
    fake.clock.advance(SESSION_WAIT_MS - 1);
    await flush();
    expect(next.calls("spectate")).toEqual([]);
    next.deliver([{ s: idOf(next, "session"), t: "value", v: AUTHENTICATED }]);
    await flushUntil(() => next.calls("spectate").length > 0);
    expect(next.calls("spectate")).toEqual([[GUILD, { guildId: GUILD, includeLogs: false }]]);
    await client.close();
    await flush();
    expect(fake.clock.pending).toBe(0);
  });

  it("it gives up waiting after 15 s, and closing cancels the wait", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    await client.spectate(GUILD);
    let next = await restart(fake);
    await flushUntil(() => fake.clock.pending === 1);
    fake.clock.advance(SESSION_WAIT_MS);
    await flush();
    expect(next.calls("spectate")).toEqual([]);
    // The session$ it watched is released.
    expect(next.calls("unsubscribe")).toEqual([[idOf(next, "session")]]);
    // Waiting again after the next restart: closing the client ends the wait and its timer.
    fake.clock.advance(10_000);
    next = await restart(fake);
    await flushUntil(() => fake.clock.pending === 1);
    await client.close();
    await flush();
    expect(fake.clock.pending).toBe(0);
    expect(next.calls("spectate")).toEqual([]);
  });

  it("the worker's token, whoever logged in: the latest one logs the next worker in; none after a logout elsewhere", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    await client.spectate(GUILD);
    const first = fake.connections[0];
    if (!first) throw new Error("no connection");
    // Another tab logged in, then a refresh replaced the token: this tab was told both.
    first.deliver([{ s: TOKEN_ITEM, t: "value", v: "first.token.x" }]);
    first.deliver([{ s: TOKEN_ITEM, t: "value", v: "fresh.token.y" }]);
    await flush();
    let next = await restart(fake);
    await flushUntil(() => next.calls("spectate").length > 0);
    expect(next.calls("login")).toEqual([["fresh.token.y"]]);
    expect(next.calls("spectate")).toEqual([[GUILD, { guildId: GUILD, includeLogs: true }]]);

    // A logout in another tab: the worker says null; the next worker is logged in by nobody.
    next.deliver([{ s: TOKEN_ITEM, t: "value", v: null }]);
    await flush();
    fake.clock.advance(10_000);
    next = await restart(fake);
    await flushUntil(() => next.calls("subscribe").length > 0);
    await flush();
    expect(next.calls("login")).toEqual([]);
    await client.close();
  });
});

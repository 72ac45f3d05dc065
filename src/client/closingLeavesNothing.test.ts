import { config } from "rxjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LogBatch } from "../shared";
import { createGatewayClient } from "./connectGateway";
import {
  SETTINGS,
  createFakeEnvironment,
  flush,
  flushUntil,
  type FakeEnvironment,
} from "./test/fakeEnvironment";

/** What the fakes hold that a closed client should have let go of. */
function leftovers(fake: FakeEnvironment) {
  const { counts } = fake.clock;
  return {
    timers: fake.clock.pending,
    timersUnaccounted: counts.scheduled - counts.cancelled - counts.fired,
    listeners: fake.window.count + fake.document.count,
    ports: fake.ports.open,
    connections: fake.connections.filter((c) => !c.isClosed).length,
    lockRequestsWaiting: fake.locks.pending,
    locksHeld: fake.locks.held,
    leaderWorkersRunning: fake.leaderWorkers.filter((w) => !w.terminated).length,
  };
}

const NOTHING = {
  timers: 0,
  timersUnaccounted: 0,
  listeners: 0,
  ports: 0,
  connections: 0,
  lockRequestsWaiting: 0,
  locksHeld: 0,
  leaderWorkersRunning: 0,
};

/** Errors nobody listened to: observables' (rxjs reports them) and promises' rejections. */
const unhandled: unknown[] = [];
const onRejection = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  config.onUnhandledError = (error) => unhandled.push(error);
  process.on("unhandledRejection", onRejection);
});
afterEach(() => {
  config.onUnhandledError = null;
  process.off("unhandledRejection", onRejection);
});

describe("closing page clients", () => {
  it("1,000 clients created and closed over a fake endpoint leave no timer, listener, port or lock", async () => {
    const fake = createFakeEnvironment();
    const guildId = "10";
    let closedErrors = 0;
    for (let round = 0; round < 10; round++) {
      const clients = Array.from({ length: 100 }, (_, i) =>
        // Every fourth tab in leader mode: it competes for the lead (one leads, the others wait).
        createGatewayClient({ ...SETTINGS, mode: i % 4 === 0 ? "leader" : "shared" }, fake.env),
      );
      const subscriptions = clients.flatMap((client) => [
        // Closing errors every live subscription `closed` (GatewayClient.close): each listens.
        client.connection$.subscribe({ error: () => closedErrors++ }),
        client.logs$(guildId).subscribe({ error: () => closedErrors++ }),
        client
          .pool("role", { guildId })
          .all$()
          .subscribe({ error: () => closedErrors++ }),
      ]);
      await Promise.all(clients.map((client) => client.ready));
      await Promise.all(clients.map((client) => client.login("a.b.c")));
      await flush();
      expect(fake.window.count).toBeGreaterThan(0);
      expect(fake.ports.open).toBeGreaterThan(0);
      expect(fake.clock.counts.scheduled).toBeGreaterThan(0);
      // Half of the rounds: the worker ends first, every tab starts another and recovers on it
      // (each learns of the end through the worker's lifetime lock, granted to one tab after another).
      if (round % 2 === 1) {
        const dead = fake.worker();
        dead.die();
        await flushUntil(() => {
          const next = fake.workers[fake.workers.length - 1];
          const recovered = next?.connections.all.filter((c) => c.calls("login").length > 0);
          return next !== dead && recovered?.length === clients.length;
        });
        await flush();
      }
      await Promise.all(clients.map((client) => client.close()));
      await flush();
      subscriptions.splice(0).forEach((s) => s.unsubscribe());
      expect(leftovers(fake)).toEqual(NOTHING);
    }
    expect(fake.connections.length).toBeGreaterThanOrEqual(1000);
    // Every hello timer was started and then cancelled (none fired: every worker answered).
    expect(fake.clock.counts.scheduled).toBe(fake.clock.counts.cancelled);
    expect(fake.clock.counts.scheduled).toBeGreaterThanOrEqual(1000);
    expect(fake.locks.counts.requested).toBe(fake.locks.counts.released + fake.locks.counts.aborted);
    expect(closedErrors).toBe(3000);
    expect(leftovers(fake)).toEqual(NOTHING);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(unhandled).toEqual([]);
  });

  it("a client closed while its hello is unanswered waits for it, then lets go of all", async () => {
    const fake = createFakeEnvironment();
    fake.worker().answer = () => undefined;
    const client = createGatewayClient(SETTINGS, fake.env);
    const batches: LogBatch[] = [];
    client.logs$("10").subscribe({ next: (b) => batches.push(b), error: () => {} });
    await flush();
    const closed = client.close();
    fake.clock.advance(10_000);
    await closed;
    await expect(client.ready).rejects.toMatchObject({ code: "timeout" });
    expect(leftovers(fake)).toEqual(NOTHING);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(unhandled).toEqual([]);
  });
});

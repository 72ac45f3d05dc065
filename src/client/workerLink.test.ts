import { describe, expect, it } from "vitest";
import type { InterpretReturnPayload } from "../protocol";
import { GatewayError, type Result } from "../shared";
import { createWorkerLink, type LinkListeners } from "./workerLink";
import { HELLO_TIMEOUT_MS } from "./workerInstance";
import {
  SETTINGS,
  createFakeEnvironment,
  flush,
  flushUntil,
  type FakeEnvironment,
} from "./test/fakeEnvironment";

/** A link over fakes, and what it told its owner. */
function open(fake: FakeEnvironment, mode: "shared" | "leader" = "shared") {
  const told: string[] = [];
  const errors: GatewayError[] = [];
  const listeners: LinkListeners = {
    deliver: () => {},
    lost: () => told.push("lost"),
    restarted: () => told.push("restarted"),
    failed: (error) => {
      told.push("failed");
      errors.push(error);
    },
  };
  const link = createWorkerLink({ ...SETTINGS, mode }, listeners, fake.env);
  link.ready.catch(() => {});
  return { link, told, errors };
}

/** Ends the current worker and waits until the tab said hello to the next one. */
async function endWorker(fake: FakeEnvironment): Promise<void> {
  const dead = fake.worker();
  dead.die();
  await flushUntil(
    () => fake.workers[fake.workers.length - 1] !== dead && fake.worker().connections.opened > 0,
  );
  await flush();
}

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });

describe("the worker link (its driver, over a manual clock and fake workers)", () => {
  it("fails ready with timeout when the worker does not answer hello in 10 s, and lets go", async () => {
    const fake = createFakeEnvironment();
    fake.worker().answer = () => undefined;
    const { link, told } = open(fake);
    let settled = false;
    link.ready.then(
      () => (settled = true),
      () => (settled = true),
    );
    await flush();
    fake.clock.advance(HELLO_TIMEOUT_MS - 1);
    await flush();
    expect(settled).toBe(false);
    fake.clock.advance(1);
    await expect(link.ready).rejects.toMatchObject({ code: "timeout" });
    await expect(link.call(() => ok(1))).rejects.toMatchObject({ code: "timeout" });
    // The first worker's failure is `ready`'s: no listener is told.
    expect(told).toEqual([]);
    expect(fake.ports.open).toBe(0);
    await link.close();
    await flush();
    expect(fake.locks.held + fake.locks.pending).toBe(0);
  });

  it("replaces a worker that ends: lost, then restarted; a call in flight rejects disconnected", async () => {
    const fake = createFakeEnvironment();
    const { link, told } = open(fake);
    await link.ready;
    const pending = link.call(() => new Promise<Result<number>>(() => {}));
    await endWorker(fake);
    await expect(pending).rejects.toMatchObject({ code: "disconnected" });
    await flushUntil(() => told.length === 2);
    expect(told).toEqual(["lost", "restarted"]);
    expect(fake.connections).toHaveLength(2);
    expect(fake.connections[0]?.isClosed).toBe(true);
    await expect(link.call(() => ok("on the new one"))).resolves.toBe("on the new one");
    await link.close();
  });

  it("makes a call with retry again on the next worker", async () => {
    const fake = createFakeEnvironment();
    const { link } = open(fake);
    await link.ready;
    let runs = 0;
    const answer = link.call(
      (api) => {
        runs++;
        return runs === 1
          ? new Promise<Result<InterpretReturnPayload>>(() => {})
          : api.interpret({} as never);
      },
      { retry: true },
    );
    await flush();
    await endWorker(fake);
    await expect(answer).resolves.toEqual({ actions: [] });
    expect(runs).toBe(2);
    await link.close();
  });

  it("gives up after six quick deaths in a row; deaths 10 s apart never do", async () => {
    const fake = createFakeEnvironment();
    const { link, told, errors } = open(fake);
    await link.ready;
    for (let i = 0; i < 8; i++) {
      fake.clock.advance(10_000);
      await endWorker(fake);
    }
    expect(told.filter((t) => t === "failed")).toEqual([]);
    for (let i = 0; i < 5; i++) {
      fake.clock.advance(9_999);
      await endWorker(fake);
    }
    expect(told.filter((t) => t === "failed")).toEqual([]);
    fake.clock.advance(9_999);
    const last = fake.worker();
    last.die();
    await flushUntil(() => told.includes("failed"));
    expect(errors).toEqual([expect.objectContaining({ code: "unsupported" })]);
    await expect(link.call(() => ok(1))).rejects.toMatchObject({ code: "unsupported" });
    // The first worker, one after each slow death and one after each of the first five quick
    // deaths: none after the sixth.
    expect(fake.connections).toHaveLength(1 + 8 + 5);
    await link.close();
    expect(fake.ports.open).toBe(0);
  });

  it("closes although its worker ended before the tab learnt it (bye is never answered)", async () => {
    const fake = createFakeEnvironment();
    const { link } = open(fake);
    await link.ready;
    await flush();
    fake.worker().die();
    // Before the worker's lifetime lock is granted to the tab.
    const closing = link.close();
    await flushUntil(() => fake.locks.pending === 0 && fake.locks.held === 0);
    await closing;
    expect(link.isClosed()).toBe(true);
    expect(fake.ports.open).toBe(0);
    expect(fake.connections.filter((c) => !c.isClosed)).toEqual([]);
    await expect(link.call(() => ok(1))).rejects.toMatchObject({ code: "closed" });
  });

  it("closes when told to from its lost listener while the replacement cannot be opened", async () => {
    const fake = createFakeEnvironment();
    let closing: Promise<void> | null = null;
    const failures: GatewayError[] = [];
    const link = createWorkerLink(
      SETTINGS,
      {
        deliver: () => {},
        lost: () => (closing = link.close()),
        restarted: () => {},
        failed: (error) => failures.push(error),
      },
      fake.env,
    );
    await link.ready;
    fake.connect = () => {
      throw new GatewayError("unsupported", "no Worker");
    };
    fake.worker().die();
    await flushUntil(() => closing !== null);
    await closing;
    expect(link.isClosed()).toBe(true);
    // Closed first: the failure to open the replacement is nobody's news.
    expect(failures).toEqual([]);
    await flush();
    expect(fake.ports.open + fake.locks.held + fake.locks.pending).toBe(0);
  });

  it("leader mode: a leader whose worker refuses to lead fails the tab's hello with the reason", async () => {
    const fake = createFakeEnvironment();
    fake.worker().answer = (method) => (method === "hello" ? undefined : { ok: true, value: null });
    const refusal = new GatewayError("incompatible", "another build");
    fake.leaderAnswer = () => ({ ok: false, error: refusal.toInfo() });
    const { link } = open(fake, "leader");
    await expect(link.ready).rejects.toMatchObject({ code: "incompatible" });
    expect(fake.leaderWorkers).toHaveLength(1);
    await link.close();
    expect(fake.leaderWorkers[0]?.terminated).toBe(true);
    await flush();
    expect(fake.locks.held + fake.locks.pending).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { GatewayError, leaderLockName } from "../shared";
import { MAX_SCRIPT_FAILURES } from "./electionMachine";
import { competeForLead } from "./leaderElection";
import { createFakeEnvironment, flush, flushUntil, type FakeEnvironment } from "./test/fakeEnvironment";

const BASE = "http://gateway.test";

/** One tab competing for the lead over fake locks and fake leader workers. */
function compete(fake: FakeEnvironment, tabId: string) {
  const reports: GatewayError[] = [];
  const stop = competeForLead({
    base: BASE,
    tabId,
    locks: fake.locks,
    start: () => fake.env.leaderWorker(),
    failed: (error) => reports.push(error),
  });
  return { stop, reports };
}

const running = (fake: FakeEnvironment) => fake.leaderWorkers.filter((w) => !w.terminated);

describe("the leader election (its driver, over fake locks and workers)", () => {
  it("of three tabs one leads; when it steps down the next one leads, and the last lets go of all", async () => {
    const fake = createFakeEnvironment();
    const tabs = ["a", "b", "c"].map((id) => compete(fake, id));
    await flush();
    expect(fake.leaderWorkers).toHaveLength(1);
    expect(fake.leaderWorkers[0]?.led).toEqual([BASE]);
    expect(fake.locks.isHeld(leaderLockName(BASE))).toBe(true);
    expect(fake.locks.pending).toBe(2);
    tabs[0]?.stop();
    expect(fake.leaderWorkers[0]?.terminated).toBe(true);
    await flushUntil(() => fake.leaderWorkers.length === 2);
    expect(running(fake)).toHaveLength(1);
    // A tab that never led withdraws its request.
    tabs[2]?.stop();
    expect(fake.locks.pending).toBe(0);
    tabs[1]?.stop();
    await flush();
    expect(running(fake)).toEqual([]);
    expect(fake.locks.held).toBe(0);
    expect(fake.locks.isHeld(leaderLockName(BASE))).toBe(false);
    expect(tabs.flatMap((t) => t.reports)).toEqual([]);
  });

  it("replaces a worker whose script fails, five times in a row, then tells the tabs", async () => {
    const fake = createFakeEnvironment();
    fake.leaderAnswer = () => undefined; // the scripts fail before they answer
    const { stop, reports } = compete(fake, "a");
    await flush();
    for (let i = 0; i < MAX_SCRIPT_FAILURES; i++) {
      fake.leaderWorkers[fake.leaderWorkers.length - 1]?.fail();
      await flush();
      expect(fake.leaderWorkers).toHaveLength(i + 2);
      expect(running(fake)).toHaveLength(1);
    }
    expect(reports).toEqual([]);
    fake.leaderWorkers[fake.leaderWorkers.length - 1]?.fail();
    await flush();
    expect(fake.leaderWorkers).toHaveLength(MAX_SCRIPT_FAILURES + 1);
    expect(reports).toEqual([expect.objectContaining({ code: "unsupported" })]);
    // It keeps the lead (the tabs' hellos fail with the reason): no other tab starts a worker.
    expect(fake.locks.isHeld(leaderLockName(BASE))).toBe(true);
    stop();
    await flush();
    expect(running(fake)).toEqual([]);
    expect(fake.locks.held).toBe(0);
  });

  it("starts another worker when the leading one ends (its lifetime lock is granted)", async () => {
    const fake = createFakeEnvironment();
    let n = 0;
    const lifetimes: (() => void)[] = [];
    fake.leaderAnswer = () => {
      const lock = `leader-worker-${++n}`;
      lifetimes.push(fake.locks.hold(lock));
      return { ok: true, value: { workerLock: lock } };
    };
    const { stop, reports } = compete(fake, "a");
    // Leading, and waiting for its worker's lifetime lock.
    await flushUntil(() => lifetimes.length === 1 && fake.locks.pending === 1);
    lifetimes[0]?.();
    await flushUntil(() => fake.leaderWorkers.length === 2);
    expect(fake.leaderWorkers[0]?.terminated).toBe(true);
    expect(running(fake)).toHaveLength(1);
    await flushUntil(() => lifetimes.length === 2 && fake.locks.pending === 1);
    stop();
    await flush();
    // The request for the second worker's lifetime lock is withdrawn at step-down.
    expect(fake.locks.pending).toBe(0);
    expect(fake.locks.held).toBe(0);
    expect(running(fake)).toEqual([]);
    expect(reports).toEqual([]);
  });

  it("tells the tabs why a worker could not start or lead", async () => {
    const fake = createFakeEnvironment();
    const refusal = new GatewayError("incompatible", "another build");
    fake.leaderAnswer = () => ({ ok: false, error: refusal.toInfo() });
    const refused = compete(fake, "a");
    await flushUntil(() => refused.reports.length > 0);
    expect(refused.reports).toEqual([expect.objectContaining({ code: "incompatible" })]);
    refused.stop();
    await flush();

    const broken = createFakeEnvironment();
    broken.env.leaderWorker = () => {
      throw new GatewayError("unsupported", "not a dedicated Worker");
    };
    const cannot = compete(broken, "b");
    await flushUntil(() => cannot.reports.length > 0);
    expect(cannot.reports).toEqual([expect.objectContaining({ code: "unsupported" })]);
    cannot.stop();
    await flush();
    expect(broken.locks.held + broken.locks.pending).toBe(0);
  });
});

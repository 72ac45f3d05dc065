import { describe, expect, it } from "vitest";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import {
  LATENCIES_KEPT,
  type DeliveryItem,
  type LogEntry,
  type LogGap,
  type PoolDelta,
} from "../../src/shared";
import { createDeliveryQueue, MAX_IN_FLIGHT } from "./deliveryQueue";

const delta = (n: number, reset = false): PoolDelta => ({
  reset,
  upsert: [],
  remove: [],
  nonexistent: [],
  status: "ready",
  loaded: n,
  total: n,
  error: null,
  source: "network",
  stale: false,
  savedAt: null,
});

/** A queue and what it posted; `ack` acknowledges the oldest unacknowledged batch. */
function setup(backlog: number) {
  const clock = createManualClock(0);
  const posted: DeliveryItem[][] = [];
  let dropped = 0;
  const queue = createDeliveryQueue({
    post: (batch) => posted.push(batch),
    clock,
    windowMs: 16,
    backlog,
    dropped: (n) => (dropped += n),
  });
  const entries = () =>
    posted.flat().flatMap((item) => (item.t === "logs" ? (JSON.parse(item.json) as LogEntry[]) : []));
  const gaps = () => posted.flat().flatMap((item) => (item.t === "gap" ? [item.g] : []));
  const log = (seq: number) => queue.pushLog(1, JSON.stringify({ seq, action: {} }), seq, "42");
  return { clock, posted, queue, entries, gaps, log, dropped: () => dropped };
}

describe("delivery queue: flow control", () => {
  it(`holds back after ${MAX_IN_FLIGHT} unacknowledged batches, and sends again on an acknowledgement`, () => {
    const { clock, posted, queue } = setup(10_000);
    for (let i = 0; i < 10; i++) {
      queue.push({ s: 1, t: "value", v: i });
      clock.advance(16);
    }
    expect(posted).toHaveLength(MAX_IN_FLIGHT);
    expect(queue.size).toBe(10 - MAX_IN_FLIGHT);
    queue.ack();
    clock.advance(16);
    expect(posted).toHaveLength(MAX_IN_FLIGHT + 1);
    // What waited goes as one batch, in order.
    expect(posted.at(-1)?.map((item) => (item.t === "value" ? item.v : null))).toEqual(
      [...Array(10 - MAX_IN_FLIGHT).keys()].map((i) => i + MAX_IN_FLIGHT),
    );
    expect(queue.size).toBe(0);
  });

  it("holds back once what is in flight reaches the backlog, however few the batches", () => {
    const { clock, posted, queue, log } = setup(100);
    for (let i = 1; i <= 60; i++) log(i);
    clock.advance(16);
    for (let i = 61; i <= 120; i++) log(i);
    clock.advance(16);
    expect(posted).toHaveLength(2);
    log(121);
    clock.advance(100);
    expect(posted).toHaveLength(2);
    queue.ack();
    clock.advance(16);
    expect(posted).toHaveLength(3);
  });

  it("a tab that stops taking deliveries: the backlog stays bounded, the oldest entries go, a slow_tab gap says which", () => {
    const backlog = 1000;
    const { clock, posted, queue, entries, gaps, log, dropped } = setup(backlog);
    // Seqs go up by 2: the gap must name the seqs around it, not count them.
    let seq = 0;
    for (let i = 0; i < MAX_IN_FLIGHT; i++) {
      log((seq += 2));
      clock.advance(16);
    }
    expect(posted).toHaveLength(MAX_IN_FLIGHT);
    const lastTaken = seq;
    let largest = 0;
    for (let i = 0; i < 20_000; i++) {
      log((seq += 2));
      largest = Math.max(largest, queue.size);
      if (i % 100 === 0) clock.advance(16);
    }
    expect(largest).toBeLessThanOrEqual(backlog);
    expect(posted).toHaveLength(MAX_IN_FLIGHT);
    for (let i = 0; i < MAX_IN_FLIGHT; i++) queue.ack();
    clock.advance(16);
    const seqs = entries().map((e) => e.seq);
    const [gap, ...more] = gaps();
    expect(more).toEqual([]);
    expect(gap).toEqual<LogGap>({
      guildId: "42",
      reason: "slow_tab",
      afterSeq: lastTaken,
      untilSeq: expect.any(Number) as number,
    });
    const until = gap!.untilSeq!;
    // Everything up to afterSeq, nothing between, everything from untilSeq on, each once.
    const expected = [...Array(seq / 2).keys()]
      .map((i) => (i + 1) * 2)
      .filter((s) => s <= lastTaken || s >= until);
    expect(seqs).toEqual(expected);
    expect(dropped()).toBe(seq / 2 - seqs.length);
    expect(seqs.length).toBeGreaterThan(backlog / 2);
    // The gap comes right before the entries it precedes.
    const last = posted.at(-1)!;
    expect(last[0]).toMatchObject({ t: "gap" });
    // It catches up: later entries flow again, with no new gap.
    log((seq += 2));
    queue.ack();
    clock.advance(16);
    expect(entries().at(-1)?.seq).toBe(seq);
    expect(gaps()).toHaveLength(1);
  });

  it("beyond the backlog, values keep their latest and pool changes become the whole pool", () => {
    const { clock, posted, queue } = setup(500);
    for (let i = 0; i < MAX_IN_FLIGHT; i++) {
      queue.push({ s: 9, t: "value", v: "filler" });
      clock.advance(16);
    }
    let wholes = 0;
    for (let i = 1; i <= 3000; i++) {
      queue.push({ s: 1, t: "value", v: i });
      queue.push({ s: 2, t: "pool", d: delta(i) }, () => {
        wholes++;
        return { s: 2, t: "pool", d: delta(i, true) };
      });
      expect(queue.size).toBeLessThanOrEqual(500);
    }
    expect(wholes).toBeGreaterThan(0);
    queue.ack();
    clock.advance(16);
    const batch = posted.at(-1)!;
    const values = batch.filter((item) => item.s === 1).map((item) => (item.t === "value" ? item.v : null));
    const pools = batch.filter((item) => item.s === 2).map((item) => (item.t === "pool" ? item.d : null));
    expect(values.at(-1)).toBe(3000);
    expect(values.length).toBeLessThan(500);
    // A tab rebuilding the pool from what it got ends where the worker is: the last whole
    // snapshot (reset) and the changes after it.
    const lastReset = pools.findLastIndex((d) => d?.reset);
    expect(lastReset).toBeGreaterThanOrEqual(0);
    expect(pools.at(-1)?.loaded).toBe(3000);
    expect(pools.slice(lastReset + 1).every((d) => d && !d.reset)).toBe(true);
  });

  it("close() drops what is queued and posts nothing more", () => {
    const { clock, posted, queue, log } = setup(1000);
    log(1);
    queue.close();
    log(2);
    clock.advance(100);
    expect(posted).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it("a tab's log subscriptions interleaved: one logs item per subscription per batch, a gap keeps its place", () => {
    const { clock, posted, queue } = setup(10_000);
    const entry = (s: number, seq: number) =>
      queue.pushLog(s, JSON.stringify({ seq, action: {} }), seq, "42");
    for (let seq = 1; seq <= 100; seq++) {
      entry(1, seq);
      entry(2, seq);
    }
    const gap: LogGap = { guildId: "42", reason: "history_lost", afterSeq: 100, untilSeq: 150 };
    queue.push({ s: 2, t: "gap", g: gap });
    entry(1, 150);
    entry(2, 150);
    clock.advance(100);
    expect(posted).toHaveLength(1);
    const batch = posted[0]!;
    // Subscription 1: one item of 101 entries; subscription 2: 100 entries, the gap, then 1.
    expect(batch.map((i) => `${i.s}:${i.t}`)).toEqual(["1:logs", "2:logs", "2:gap", "2:logs"]);
    const seqs = (i: DeliveryItem) =>
      i.t === "logs" ? (JSON.parse(i.json) as LogEntry[]).map((e) => e.seq) : [];
    expect(seqs(batch[0]!)).toEqual([...Array(100).keys()].map((k) => k + 1).concat(150));
    expect(seqs(batch[1]!)).toHaveLength(100);
    expect(seqs(batch[3]!)).toEqual([150]);
  });
});

describe("delivery queue: an ended subscription", () => {
  it("forget drops what is queued for it and counts it out of the backlog; the others go on", () => {
    const { clock, posted, queue } = setup(1_000);
    queue.pushLog(1, JSON.stringify({ seq: 1, action: {} }), 1, "42");
    queue.pushLog(1, JSON.stringify({ seq: 2, action: {} }), 2, "42");
    queue.pushLog(2, JSON.stringify({ seq: 7, action: {} }), 7, "43");
    queue.push({ s: 1, t: "value", v: "x" });
    expect(queue.size).toBe(6); // 3 items, 3 entries
    queue.forget(1);
    expect(queue.size).toBe(2);
    clock.advance(20);
    expect(posted.flat().map((item) => item.s)).toEqual([2]);
    // A later subscription with the same id starts afresh (no gap or seq of the old one).
    queue.pushLog(1, JSON.stringify({ seq: 9, action: {} }), 9, "44");
    queue.ack();
    clock.advance(20);
    expect(posted.flat().filter((item) => item.s === 1 && item.t === "gap")).toEqual([]);
  });
});

describe("delivery queue: latency", () => {
  it("each acknowledgement records the time from the batch's oldest item to it; the latest few are kept", () => {
    const { clock, posted, queue, log } = setup(1000);
    log(1);
    clock.advance(1); // an idle channel posts at once
    log(2);
    clock.advance(4); // a busy one waits for its window (16 ms after the last post)
    log(3);
    clock.advance(20);
    expect(posted).toHaveLength(2);
    queue.ack();
    queue.ack();
    // The first batch was queued at 0, the second (entries 2 and 3) at 1; both acknowledged at 25.
    expect(queue.latencies).toEqual([25, 24]);
    // An acknowledgement of nothing in flight records nothing.
    queue.ack();
    expect(queue.latencies).toEqual([25, 24]);
    for (let i = 0; i < LATENCIES_KEPT + 3; i++) {
      queue.push({ s: 2, t: "value", v: i });
      clock.advance(20);
      queue.ack();
    }
    expect(queue.latencies).toHaveLength(LATENCIES_KEPT);
    expect(queue.latencies.at(-1)).toBe(20);
  });
});

import { describe, expect, it } from "vitest";
import { createEventLog } from "./eventLog";

describe("eventLog", () => {
  it("numbers events per topic from 1 and replays what came after a seq", () => {
    const log = createEventLog<{ seq: number; n: number }>(5);
    for (let n = 0; n < 3; n++) log.append("a", (seq) => ({ seq, n }));
    log.append("b", (seq) => ({ seq, n: 9 }));
    expect(log.latest("a")).toBe(3);
    expect(log.latest("b")).toBe(1);
    expect(log.latest("c")).toBe(0);
    expect(log.since("a", 1)!.map((e) => e.value)).toEqual([
      { seq: 2, n: 1 },
      { seq: 3, n: 2 },
    ]);
    expect(log.since("a", 1)![0]!.payload).toBe(JSON.stringify({ seq: 2, n: 1 }));
    expect(log.since("a", 3)).toEqual([]);
    expect(log.since("c", 0)).toEqual([]);
  });

  it("answers null when the gap is older than the ring or ahead of the topic", () => {
    const log = createEventLog<{ seq: number }>(5);
    for (let i = 0; i < 12; i++) log.append("a", (seq) => ({ seq }));
    expect(log.since("a", 6)).toBeNull();
    expect(log.since("a", 7)!.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(log.since("a", 13)).toBeNull();
    expect(log.since("nope", 1)).toBeNull();
  });

  it("records events numbered elsewhere, drops old ones and never reads across a hole", () => {
    const log = createEventLog<{ seq: number }>(5);
    const event = (seq: number) => ({ seq, payload: JSON.stringify({ seq }), value: { seq } });
    log.advance("a", 3);
    expect(log.latest("a")).toBe(3);
    expect(log.record("a", event(3))).toBe(false);
    expect(log.record("a", event(4))).toBe(true);
    expect(log.since("a", 3)!.map((e) => e.seq)).toEqual([4]);
    expect(log.since("a", 2)).toBeNull();
    expect(log.record("a", event(6))).toBe(true);
    expect(log.since("a", 4)).toBeNull();
    expect(log.since("a", 5)!.map((e) => e.seq)).toEqual([6]);
    log.advance("a", 2);
    expect(log.latest("a")).toBe(6);
  });
});

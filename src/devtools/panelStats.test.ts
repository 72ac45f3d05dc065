import { describe, expect, it } from "vitest";
import { latencySummary, percentile, ratesOf, sparklinePoints } from "./panelStats";

describe("panel statistics", () => {
  it("percentile: nearest rank; null for nothing", () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNull();
    expect(latencySummary([])).toBe("none yet");
    expect(latencySummary([1, 2, 3, 4, 100])).toBe("p50 3 · p95 100 · p99 100 ms (5 batches)");
  });

  it("ratesOf: entries per second between samples", () => {
    expect(
      ratesOf([
        { at: 0, entries: 0 },
        { at: 500, entries: 500 },
        { at: 1500, entries: 600 },
        { at: 1500, entries: 700 },
      ]),
    ).toEqual([1000, 100, 0]);
    expect(ratesOf([{ at: 0, entries: 0 }])).toEqual([]);
  });

  it("sparklinePoints: the largest value at the top, spread over the width", () => {
    expect(sparklinePoints([0, 10, 5], 100, 20)).toBe("0.0,20.0 50.0,0.0 100.0,10.0");
    expect(sparklinePoints([3], 100, 20)).toBe("");
  });
});

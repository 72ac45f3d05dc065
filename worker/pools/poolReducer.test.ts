import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/protocol";
import { initialPoolMeta, reducePool } from "./poolReducer";

const channel = (id: string): Channel => ({ id, name: `c${id}`, type: 0, position: 0 });
const restored = (count: number, whole = true) =>
  reducePool(initialPoolMeta, {
    type: "restored",
    data: [channel("1"), channel("2")],
    count,
    nonexistent: ["9"],
    whole,
    savedAt: 5,
  });

describe("reducePool: restoring from the cache", () => {
  it("restored, all of it: ready, complete, stale, from the cache", () => {
    const change = restored(2);
    expect(change.meta).toMatchObject({
      status: "ready",
      complete: true,
      loaded: 2,
      total: 2,
      source: "cache",
      stale: true,
      savedAt: 5,
    });
    expect(change.upsert).toHaveLength(2);
    expect(change.nonexistent).toEqual(["9"]);
  });

  it("restored, a head of more: loading and not complete, its total the record's count", () => {
    expect(restored(7_000).meta).toMatchObject({
      status: "loading",
      complete: false,
      loaded: 2,
      total: 7_000,
      source: "cache",
      stale: true,
    });
  });

  it("a by-id copy has no total, whatever its count", () => {
    expect(restored(7_000, false).meta).toMatchObject({ complete: false, total: null });
  });

  it("restoredPart: adds its entities; loading until the last, then ready and complete (whole copies)", () => {
    const head = restored(5).meta;
    const part = reducePool(head, { type: "restoredPart", data: [channel("3")], last: false, whole: true });
    expect(part.upsert).toEqual([channel("3")]);
    expect(part.meta).toMatchObject({ status: "loading", complete: false, loaded: 3, total: 5, stale: true });
    const last = reducePool(part.meta, {
      type: "restoredPart",
      data: [channel("4"), channel("5")],
      last: true,
      whole: true,
    });
    expect(last.meta).toMatchObject({
      status: "ready",
      complete: true,
      loaded: 5,
      source: "cache",
      stale: true,
    });
    const byIds = reducePool(restored(5, false).meta, {
      type: "restoredPart",
      data: [],
      last: true,
      whole: false,
    });
    expect(byIds.meta).toMatchObject({ status: "ready", complete: false });
  });
});

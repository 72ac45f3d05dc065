import { describe, expect, it } from "vitest";
import type { Role } from "../protocol";
import { createPoolAccumulator } from "./poolSnapshot";
import { poolDelta as delta } from "./test/poolDelta";

const role = (id: string, name = `r${id}`): Role => ({
  id,
  name,
  color: null,
  position: 0,
  hoist: false,
  managed: false,
  mentionable: false,
  permissions: "0",
});

describe("createPoolAccumulator", () => {
  it("rebuilds snapshots from deltas, keeping the asked order", () => {
    const acc = createPoolAccumulator<"role">(["3", "1", "2"]);
    acc(delta({ reset: true, upsert: [role("1"), role("2")], status: "loading" }));
    const s = acc(delta({ upsert: [role("3"), role("1", "renamed")] }));
    expect(s.entities.map((r) => [r.id, r.name])).toEqual([
      ["3", "r3"],
      ["1", "renamed"],
      ["2", "r2"],
    ]);
    expect(acc(delta({ remove: ["1"] })).entities.map((r) => r.id)).toEqual(["3", "2"]);
    expect(acc(delta({ reset: true })).entities).toEqual([]);
  });

  it("an id that was missing and then appears is no longer listed as missing", () => {
    const acc = createPoolAccumulator<"role">(null);
    expect(acc(delta({ nonexistent: ["9"] })).nonexistent).toEqual(["9"]);
    const s = acc(delta({ upsert: [role("9")] }));
    expect(s.nonexistent).toEqual([]);
    expect(s.byId.get("9")?.id).toBe("9");
  });

  it("byId: the snapshot's entities by id, as they were when it was made, read late or early", () => {
    const acc = createPoolAccumulator<"role">(null);
    const first = acc(delta({ reset: true, upsert: [role("1"), role("2")] }));
    const second = acc(delta({ upsert: [role("2", "renamed"), role("3")], remove: ["1"] }));
    // Read after later deltas: the first snapshot's map is still its own.
    expect([...first.byId.entries()].map(([id, r]) => [id, r.name])).toEqual([
      ["1", "r1"],
      ["2", "r2"],
    ]);
    expect([...second.byId.entries()].map(([id, r]) => [id, r.name])).toEqual([
      ["2", "renamed"],
      ["3", "r3"],
    ]);
    expect(second.byId).toBe(second.byId);
    // Copied with the snapshot (a spread, as stores do), it stays the same map.
    expect({ ...second }.byId).toBe(second.byId);
  });

  it("turns an error into a GatewayError with its code", () => {
    const acc = createPoolAccumulator<"role">(null);
    const s = acc(delta({ status: "error", error: { code: 403, message: "no" } }));
    expect(s.error).toMatchObject({ name: "GatewayError", code: 403, message: "no" });
  });
});

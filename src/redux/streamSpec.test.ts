import { afterEach, describe, expect, it } from "vitest";
import { normalizeStreamSpec } from "./streamSpec";
import { settle, testStore } from "./test/testStore";

let current: ReturnType<typeof testStore> | null = null;
afterEach(() => {
  if (!current) return;
  current.restore();
  expect(current.warnings).toEqual([]);
  current = null;
});

const BAD: unknown[] = [
  null,
  "channel",
  {},
  { pool: "channel", logs: "1" },
  { pool: "channels", guildId: "1" },
  { pool: "channel" },
  { pool: "channel", guildId: "abc" },
  { pool: "user", guildId: "1" },
  { pool: "channel", guildId: "1", view: "offline" },
  { pool: "channel", guildId: "1", view: "online" },
  { pool: "member", guildId: "1", view: "online", ids: ["1"] },
  { pool: "member", guildId: "1", ids: "1" },
  { pool: "member", guildId: "1", ids: [""] },
  { pool: "member", guildId: "1", ids: Array.from({ length: 10_001 }, (_, i) => String(i)) },
  { logs: 1 },
  { logs: "1", limit: 1.5 },
  { logs: "1", limit: 0 },
  { logs: "1", limit: "10" },
  { logs: "1", limit: 100_001 },
];

describe("spec validation", () => {
  it("fills in defaults", () => {
    expect(normalizeStreamSpec({ pool: "channel", guildId: "1" })).toEqual({
      pool: "channel",
      guildId: "1",
      view: "all",
      ids: null,
    });
    expect(normalizeStreamSpec({ pool: "user", ids: ["5"] })).toEqual({
      pool: "user",
      guildId: null,
      view: "all",
      ids: ["5"],
    });
    expect(normalizeStreamSpec({ logs: "1" })).toEqual({ logs: "1", limit: 100 });
  });

  it("a bad spec throws bad_input from the action creator, and from dispatch of a hand-made action; no state changes", async () => {
    const t = (current = testStore());
    t.store.dispatch(t.gateway.actions.start());
    await settle();
    const state = t.store.getState();
    const seen = t.seen.length;
    for (const spec of BAD) {
      expect(() => t.gateway.actions.subscribe(spec as never), JSON.stringify(spec)).toThrow(
        expect.objectContaining({ name: "GatewayError", code: "bad_input" }),
      );
      expect(() => t.gateway.actions.release(spec as never)).toThrow(
        expect.objectContaining({ code: "bad_input" }),
      );
      expect(() => t.store.dispatch({ type: "gateway/subscribe", payload: spec })).toThrow(
        expect.objectContaining({ code: "bad_input" }),
      );
    }
    await settle();
    expect(t.store.getState()).toBe(state);
    expect(t.seen.length).toBe(seen);
    expect(t.fake.calls).toEqual([]);
  });

  it("selectors given an odd spec, or before the reducer is mounted", () => {
    const t = (current = testStore());
    expect(t.gateway.selectors.pool(t.store.getState(), null).status).toBe("idle");
    expect(() => t.gateway.selectors.session({})).toThrow(expect.objectContaining({ code: "bad_input" }));
  });
});

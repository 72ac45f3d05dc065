import { describe, expect, it } from "vitest";
import {
  HIGHLIGHT_MS,
  RATE_SAMPLES,
  exportSnapshot,
  initialPanelState,
  isHighlighted,
  reducePanel,
} from "./panelModel";
import { connection, diagnostics } from "./test/fixtures";

describe("reducePanel", () => {
  it("connection: the latest state replaces the last", () => {
    let s = reducePanel(initialPanelState, { kind: "connection", value: connection("connecting") }, 1);
    s = reducePanel(s, { kind: "connection", value: connection("reconnecting", "transport close", 9) }, 2);
    expect(s.connection).toEqual(connection("reconnecting", "transport close", 9));
  });

  it("diagnostics: trouble counters move from the first snapshot on, and stay highlighted a while", () => {
    let s = reducePanel(
      initialPanelState,
      { kind: "diagnostics", value: diagnostics({ badFrames: 3 }) },
      100,
    );
    // What happened before the panel opened is not news.
    expect(s.trouble.find((t) => t.name === "badFrames")).toEqual({
      name: "badFrames",
      value: 3,
      movedAt: null,
    });
    s = reducePanel(
      s,
      { kind: "diagnostics", value: diagnostics({ badFrames: 4, refusedCalls: 1 }, {}, 1) },
      200,
    );
    const bad = s.trouble.find((t) => t.name === "badFrames")!;
    expect(bad).toEqual({ name: "badFrames", value: 4, movedAt: 200 });
    expect(s.trouble.find((t) => t.name === "refusedCalls")?.movedAt).toBe(200);
    expect(s.trouble.find((t) => t.name === "cache.errors")?.movedAt).toBe(200);
    expect(s.trouble.find((t) => t.name === "gatewayErrors")).toEqual({
      name: "gatewayErrors",
      value: 0,
      movedAt: null,
    });
    s = reducePanel(s, { kind: "diagnostics", value: diagnostics({ badFrames: 4 }, {}, 1) }, 300);
    expect(s.trouble.find((t) => t.name === "badFrames")?.movedAt).toBe(200);
    expect(isHighlighted(bad, 200 + HIGHLIGHT_MS - 1)).toBe(true);
    expect(isHighlighted(bad, 200 + HIGHLIGHT_MS)).toBe(false);
  });

  it("diagnostics: a sample of the log counter each, the last few kept, afresh for a new worker", () => {
    let s = initialPanelState;
    for (let i = 0; i < RATE_SAMPLES + 5; i++)
      s = reducePanel(s, { kind: "diagnostics", value: diagnostics({ logEntries: i * 100 }) }, i * 1000);
    expect(s.rate).toHaveLength(RATE_SAMPLES);
    expect(s.rate.at(-1)).toEqual({ at: (RATE_SAMPLES + 4) * 1000, entries: (RATE_SAMPLES + 4) * 100 });
    // Another worker counts from 0: its first sample starts the line again.
    s = reducePanel(
      s,
      { kind: "diagnostics", value: diagnostics({ logEntries: 7 }, { workerId: "w2" }) },
      1e6,
    );
    expect(s.rate).toEqual([{ at: 1e6, entries: 7 }]);
  });

  it("session, spectating, this tab's id and the browsed pool replace what was there", () => {
    let s = reducePanel(initialPanelState, { kind: "session", value: { status: "anonymous" } }, 1);
    s = reducePanel(
      s,
      {
        kind: "spectating",
        value: { guildId: "7", includeLogs: true, pending: false, mine: true, wanted: "7" },
      },
      2,
    );
    s = reducePanel(s, { kind: "tab", value: "tab-1" }, 3);
    const browse = { key: "member|7|", status: "ready" as const, rows: [], count: 0, error: null };
    s = reducePanel(s, { kind: "browse", value: browse }, 4);
    expect(s).toMatchObject({
      session: { status: "anonymous" },
      spectating: { guildId: "7" },
      tabId: "tab-1",
      browse,
    });
    expect(reducePanel(s, { kind: "browse", value: null }, 5).browse).toBeNull();
  });
});

describe("the export", () => {
  it("is the whole state as JSON", () => {
    const session = { status: "expired" as const, userId: "42" };
    const s = reducePanel(initialPanelState, { kind: "session", value: session }, 1_000);
    const json = JSON.parse(exportSnapshot(s, 0)) as Record<string, unknown>;
    expect(json.exportedAt).toBe("1970-01-01T00:00:00.000Z");
    expect(json.session).toEqual(session);
  });
});

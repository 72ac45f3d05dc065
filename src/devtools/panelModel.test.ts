import { describe, expect, it } from "vitest";
import type { ConnectionState, Diagnostics } from "../shared";
import {
  HIGHLIGHT_MS,
  TIMELINE_LENGTH,
  exportSnapshot,
  initialPanelState,
  isHighlighted,
  reducePanel,
} from "./panelModel";
import { sectionsOf } from "./panelView";

const connection = (status: ConnectionState["status"], lastError: string | null = null): ConnectionState => ({
  status,
  url: "http://127.0.0.1:1",
  socketId: status === "connected" ? "s1" : null,
  lastError,
});

const diagnostics = (counters: Record<string, number>, cacheErrors = 0): Diagnostics => ({
  workerId: "w1",
  versions: { protocol: 1, tabProtocol: 1, build: "b" },
  tabs: 2,
  mode: "shared",
  leaderTabId: null,
  connection: connection("connected"),
  spectating: { guildId: null, includeLogs: false, batchMs: null },
  subscriptions: { pool: 1 },
  pendingRequests: 0,
  backlogs: [0, 0],
  counters,
  cache: {
    status: "ready",
    reason: null,
    partitions: 1,
    pools: 2,
    approxBytes: 2048,
    hits: 1,
    misses: 0,
    writes: 3,
    discarded: 0,
    errors: cacheErrors,
    writeMs: 0,
    readMs: 0,
    decodeMs: 0,
  },
});

describe("reducePanel", () => {
  it("connection: a transition per change of status, with the reason, the last few kept", () => {
    let s = reducePanel(initialPanelState, { kind: "connection", value: connection("connecting") }, 1);
    s = reducePanel(s, { kind: "connection", value: connection("connected") }, 2);
    // The same status again (another socket id, say): the state updates, the timeline does not.
    s = reducePanel(s, { kind: "connection", value: { ...connection("connected"), socketId: "s2" } }, 3);
    s = reducePanel(s, { kind: "connection", value: connection("reconnecting", "transport close") }, 4);
    expect(s.connection?.status).toBe("reconnecting");
    expect(s.timeline).toEqual([
      { at: 1, status: "connecting", reason: null },
      { at: 2, status: "connected", reason: null },
      { at: 4, status: "reconnecting", reason: "transport close" },
    ]);
    for (let i = 0; i < 40; i++)
      s = reducePanel(
        s,
        { kind: "connection", value: connection(i % 2 ? "connected" : "reconnecting") },
        10 + i,
      );
    expect(s.timeline).toHaveLength(TIMELINE_LENGTH);
    expect(s.timeline.at(-1)?.at).toBe(49);
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
    s = reducePanel(s, { kind: "diagnostics", value: diagnostics({ badFrames: 4 }, 1) }, 200);
    const bad = s.trouble.find((t) => t.name === "badFrames")!;
    expect(bad).toEqual({ name: "badFrames", value: 4, movedAt: 200 });
    expect(s.trouble.find((t) => t.name === "cache.errors")?.movedAt).toBe(200);
    expect(s.trouble.find((t) => t.name === "gatewayErrors")).toEqual({
      name: "gatewayErrors",
      value: 0,
      movedAt: null,
    });
    s = reducePanel(s, { kind: "diagnostics", value: diagnostics({ badFrames: 4 }, 1) }, 300);
    expect(s.trouble.find((t) => t.name === "badFrames")?.movedAt).toBe(200);
    expect(isHighlighted(bad, 200 + HIGHLIGHT_MS - 1)).toBe(true);
    expect(isHighlighted(bad, 200 + HIGHLIGHT_MS)).toBe(false);
  });

  it("session and spectating replace what was there", () => {
    const s = reducePanel(
      reducePanel(initialPanelState, { kind: "session", value: { status: "anonymous" } }, 1),
      {
        kind: "spectating",
        value: { guildId: "7", includeLogs: true, pending: false, mine: true, wanted: "7" },
      },
      2,
    );
    expect(s.session).toEqual({ status: "anonymous" });
    expect(s.spectating?.guildId).toBe("7");
  });
});

describe("what the panel shows and exports", () => {
  const session = {
    status: "authenticated" as const,
    userId: "42",
    permissions: 0,
    guilds: { "7": 1 },
    admin: false,
    expiresAt: 61_000,
  };

  it("sections: the session's user and expiry, never a token; the cache and the worker", () => {
    let s = reducePanel(initialPanelState, { kind: "session", value: session }, 1_000);
    s = reducePanel(s, { kind: "diagnostics", value: diagnostics({}) }, 1_000);
    const sections = Object.fromEntries(
      sectionsOf(s, 1_000).map(([title, rows]) => [title, Object.fromEntries(rows)]),
    );
    expect(sections.Session).toMatchObject({ status: "authenticated", user: "42", expires: "in 1 min" });
    expect(sections.Worker).toMatchObject({ mode: "shared", tabs: "2", subscriptions: "pool 1" });
    expect(sections.Cache).toMatchObject({ "partitions / pools": "1 / 2", size: "2.0 kB" });
  });

  it("the export is the whole state as JSON", () => {
    const s = reducePanel(initialPanelState, { kind: "session", value: session }, 1_000);
    const json = JSON.parse(exportSnapshot(s, 0)) as Record<string, unknown>;
    expect(json.exportedAt).toBe("1970-01-01T00:00:00.000Z");
    expect(json.session).toEqual(session);
  });
});

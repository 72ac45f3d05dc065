import { describe, expect, it } from "vitest";
import { initialPanelState, reducePanel, type PanelState } from "./panelModel";
import { sectionsOf, type Block, type Section } from "./panelSections";
import { connection, diagnostics, pool } from "./test/fixtures";

const section = (sections: Section[], title: string): Section => {
  const found = sections.find((s) => s.title === title);
  if (!found) throw new Error(`no section ${title}`);
  return found;
};
const rowsOf = (s: Section) => Object.fromEntries(s.blocks.flatMap((b) => (b.kind === "rows" ? b.rows : [])));
const blockOf = <K extends Block["kind"]>(s: Section, kind: K) =>
  s.blocks.find((b): b is Extract<Block, { kind: K }> => b.kind === kind)!;

const session = {
  status: "authenticated" as const,
  userId: "42",
  permissions: 0,
  guilds: { "7": 1 },
  admin: false,
  expiresAt: 61_000,
};

function stateWith(...events: Parameters<typeof reducePanel>[1][]): PanelState {
  return events.reduce((s, e) => reducePanel(s, e, 1_000), initialPanelState);
}

describe("sectionsOf", () => {
  it("connection: status with the next attempt, transport, the worker's transitions and gateway restarts", () => {
    const transitions = [
      { at: 0, status: "connected" as const, reason: null },
      { at: 500, status: "reconnecting" as const, reason: "transport close" },
    ];
    const s = stateWith(
      { kind: "connection", value: connection("reconnecting", "transport close", 4_000) },
      { kind: "diagnostics", value: diagnostics({ "logGap:gateway_restart": 2 }, { transitions }) },
    );
    const c = section(sectionsOf(s, 1_000), "Connection");
    expect(rowsOf(c)).toMatchObject({
      status: "reconnecting · next attempt in 3 s",
      transport: "none",
      "last error": "transport close",
      "gateway restarts seen": "2",
    });
    expect(blockOf(c, "list").items.map((i) => i.text)).toEqual([
      "1 s ago: connected",
      "1 s ago: reconnecting (transport close)",
    ]);
  });

  it("worker and tabs: a row per tab with its subscriptions, backlog and latency; this tab marked", () => {
    const s = stateWith(
      { kind: "diagnostics", value: diagnostics({}) },
      { kind: "tab", value: "tab-aaaaaaaa-1" },
    );
    const w = section(sectionsOf(s, 1_000), "Worker and tabs");
    expect(rowsOf(w)).toMatchObject({ mode: "shared", "worker id": "w1" });
    const table = blockOf(w, "table");
    expect(table.caption).toBe("Tabs (2)");
    expect(table.rows.map((r) => r.cells)).toEqual([
      ["tab-aaaa (this tab) · devtools", "pool 1", "0", "p50 3 · p95 40 · p99 40 ms (5 batches)"],
      ["tab-bbbb", "none", "5", "none yet"],
    ]);
  });

  it("session: user, expiry and refresher, never a token", () => {
    const s = stateWith({ kind: "session", value: session }, { kind: "diagnostics", value: diagnostics({}) });
    const rows = rowsOf(section(sectionsOf(s, 1_000), "Session"));
    expect(rows).toMatchObject({
      status: "authenticated",
      user: "42",
      expires: "in 1 min",
      "token refresher": "yes (1 tab(s))",
    });
    expect(JSON.stringify(rows)).not.toMatch(/eyJ/);
  });

  it("spectating: the guild's seqs, replays and gaps", () => {
    const s = stateWith(
      {
        kind: "spectating",
        value: { guildId: "7", includeLogs: true, pending: false, mine: true, wanted: "7" },
      },
      {
        kind: "diagnostics",
        value: diagnostics(
          { replayedFrames: 12, "logGap:history_lost": 1 },
          { seqs: { "7": { pool: 40, logs: 900 } } },
        ),
      },
    );
    expect(rowsOf(section(sectionsOf(s, 1_000), "Spectating"))).toMatchObject({
      guild: "7",
      seqs: "pool 40 · logs 900",
      "replayed frames": "12",
      "log gaps": "history lost 1 · gateway restart 0",
    });
  });

  it("log stream: the latest rate, its sparkline, every tab's latencies, slow-tab drops", () => {
    let s = initialPanelState;
    s = reducePanel(s, { kind: "diagnostics", value: diagnostics({ logEntries: 0 }) }, 0);
    s = reducePanel(
      s,
      { kind: "diagnostics", value: diagnostics({ logEntries: 250, slowTabDropped: 3 }) },
      250,
    );
    const l = section(sectionsOf(s, 250), "Log stream");
    expect(rowsOf(l)).toMatchObject({
      "entries / s": "1000",
      "entries received": "250",
      "delivery latency (all tabs)": "p50 3 · p95 40 · p99 40 ms (5 batches)",
      "slow-tab drops": "3",
    });
    expect(blockOf(l, "sparkline").values).toEqual([1000]);
  });

  it("pools: a row per pool; whole pools and online views can be browsed, pools by id cannot", () => {
    const pools = [
      pool(),
      pool({
        type: "user",
        guildId: null,
        complete: false,
        total: null,
        loaded: 1,
        entities: 1,
        updatedAt: null,
      }),
      pool({ view: "online", complete: false, source: "cache", stale: true }),
    ];
    const s = stateWith(
      { kind: "diagnostics", value: diagnostics({}, { pools }) },
      {
        kind: "browse",
        value: {
          key: "member|7|",
          status: "ready",
          rows: [
            { id: "1", label: "Ann" },
            { id: "2", label: "" },
          ],
          count: 2,
          error: null,
        },
      },
    );
    const p = section(sectionsOf(s, 1_000), "Pools");
    const table = blockOf(p, "table");
    expect(table.rows.map((r) => [r.cells, r.browse])).toEqual([
      [
        ["member · 7", "3 · ready · whole", "3 / 3", "network", "1 s ago"],
        { key: "member|7|", expanded: true },
      ],
      [["user", "1 · ready", "1 / ?", "network", "—"], undefined],
      [
        ["member (online) · 7", "3 · ready", "3 / 3", "cache (stale)", "1 s ago"],
        { key: "member|7|online", expanded: false },
      ],
    ]);
    const list = blockOf(p, "list");
    expect(list.label).toBe("member|7|: 2 entities (ready)");
    expect(list.items.map((i) => i.text)).toEqual(["Ann (1)", "2"]);
  });

  it("trouble counters: each named, the moved ones marked", () => {
    let s = reducePanel(initialPanelState, { kind: "diagnostics", value: diagnostics({ badFrames: 1 }) }, 0);
    s = reducePanel(s, { kind: "diagnostics", value: diagnostics({ badFrames: 2 }) }, 10);
    const items = blockOf(section(sectionsOf(s, 20), "Trouble counters"), "list").items;
    expect(items.find((i) => i.text.startsWith("badFrames"))).toEqual({
      text: "badFrames: 2 (moved)",
      warn: true,
    });
    expect(items.find((i) => i.text.startsWith("refusedCalls"))).toEqual({
      text: "refusedCalls: 0",
      warn: false,
    });
  });
});

import { describe, expect, it } from "vitest";
import {
  caughtUp,
  guildSeqs,
  poolSeqApplied,
  resetSeqs,
  resumeLogsAt,
  seedSeq,
  sinceOf,
  takeLogSeq,
  takePoolSeq,
  RECENT_LOGS,
} from "./guildSeqs";
import { PresenceSeqs } from "./presenceSeqs";

const target = (guildId: string | null, includeLogs = false, includePresence = false) => ({
  guildId,
  includeLogs,
  includePresence,
});

describe("guildSeqs", () => {
  it("a seed from restored pools is held; several copies: the oldest wins; frames' seqs are not lowered", () => {
    const g = guildSeqs();
    seedSeq(g, "7", 50);
    seedSeq(g, "7", 40);
    seedSeq(g, "7", 45);
    expect(g.held.get("7")).toEqual({ pool: 40, logs: 0 });
    expect(g.seeded.has("7")).toBe(true);
    poolSeqApplied(g, "8", 10);
    seedSeq(g, "8", 5);
    expect(g.held.get("8")?.pool).toBe(10);
    expect(g.seeded.has("8")).toBe(false);
  });

  it("pool events: apply the next seq, drop duplicates, ahead while asking, else a gap", () => {
    const g = guildSeqs();
    expect(takePoolSeq(g, "7", 12, false)).toBe("apply");
    poolSeqApplied(g, "7", 10);
    expect(takePoolSeq(g, "7", 10, false)).toBe("duplicate");
    expect(takePoolSeq(g, "7", 11, false)).toBe("apply");
    expect(takePoolSeq(g, "7", 13, true)).toBe("ahead");
    expect(takePoolSeq(g, "7", 13, false)).toBe("gap");
  });

  it("log entries: only later seqs are delivered", () => {
    const g = guildSeqs();
    expect(takeLogSeq(g, "7", 5, `e5`)).toBe(true);
    expect(takeLogSeq(g, "7", 5, `e5`)).toBe(false);
    expect(takeLogSeq(g, "7", 6, `e6`)).toBe(true);
    expect(g.held.get("7")).toEqual({ pool: 0, logs: 6 });
  });

  it("a resumed log stream: the lowest since is kept until logs flow, then the later flowing seq is told", () => {
    const g = guildSeqs();
    expect(resumeLogsAt(g, "7", 30, false)).toBeNull();
    expect(resumeLogsAt(g, "7", 20, false)).toBeNull();
    expect(g.logsSince.get("7")).toBe(20);
    takeLogSeq(g, "7", 25, `e25`);
    // The worker does not have 21..24: the tab is told the seq the logs flow from (a gap).
    expect(resumeLogsAt(g, "7", 20, true)).toBe(25);
    expect(resumeLogsAt(g, "7", 30, true)).toBeNull();
  });

  it("a tab that resumes late gets what it missed from the entries kept, in order; none of another guild or user", () => {
    const g = guildSeqs();
    for (let seq = 10; seq <= 14; seq++) takeLogSeq(g, "7", seq, `e${seq}`);
    takeLogSeq(g, "8", 3, "other guild");
    expect(resumeLogsAt(g, "7", 11, true)).toEqual(["e12", "e13", "e14"]);
    // 9 was never delivered here: a gap (the logs flow from 14).
    expect(resumeLogsAt(g, "7", 8, true)).toBe(14);
    expect(resumeLogsAt(g, "7", 14, true)).toBeNull();
    // Bounded: the oldest go first.
    for (let seq = 15; seq < 15 + RECENT_LOGS; seq++) takeLogSeq(g, "7", seq, `e${seq}`);
    expect(g.recent).toHaveLength(RECENT_LOGS);
    expect(resumeLogsAt(g, "7", 11, true)).toBe(14 + RECENT_LOGS);
    expect(resumeLogsAt(g, "7", 14 + RECENT_LOGS - 2, true)).toEqual([
      `e${13 + RECENT_LOGS}`,
      `e${14 + RECENT_LOGS}`,
    ]);
    // Another user: forgotten.
    resetSeqs(g, false, target("7", true));
    expect(g.recent).toEqual([]);
  });

  it("since: a copy of the held seqs, logs from the flowing seq after a drop or from the tabs' since", () => {
    const g = guildSeqs();
    const presence = new PresenceSeqs();
    presence.seed("7", 3);
    expect(sinceOf(g, target("7", true, true), presence)).toEqual([undefined, undefined, 3]);
    takeLogSeq(g, "7", 9, `e9`);
    resumeLogsAt(g, "7", 4, false);
    const [known, logsFrom] = sinceOf(g, target("7", true), presence);
    expect([known, logsFrom]).toEqual([{ pool: 0, logs: 9 }, 4]);
    takeLogSeq(g, "7", 10, `e10`);
    expect(known?.logs).toBe(9);
    resetSeqs(g, true, target("7", true));
    expect(g.resumeLogs).toBe("7");
    expect(sinceOf(g, target("7", true), presence)[1]).toBe(10);
    expect(sinceOf(g, target(null, true), presence)).toEqual([undefined, undefined, undefined]);
  });

  it("a catch-up completes once both its pool and presence seqs are reached, and only once", () => {
    const g = guildSeqs();
    const presence = new PresenceSeqs();
    g.catchUp = { guildId: "7", seq: 20, presence: 5 };
    poolSeqApplied(g, "7", 20);
    expect(caughtUp(g, "8", presence)).toBe(false);
    expect(caughtUp(g, "7", presence)).toBe(false);
    presence.applied("7", 5);
    expect(caughtUp(g, "7", presence)).toBe(true);
    expect(g.catchUp).toBeNull();
    expect(caughtUp(g, "7", presence)).toBe(false);
  });

  it("a reset without the wish forgets every seq; with it, only the pending catch-up", () => {
    const g = guildSeqs();
    seedSeq(g, "7", 5);
    g.catchUp = { guildId: "7", seq: 9, presence: null };
    resetSeqs(g, true, target(null));
    expect(g.held.size).toBe(1);
    expect(g.catchUp).toBeNull();
    resetSeqs(g, false, target("7", true));
    expect([g.held.size, g.seeded.size, g.resumeLogs]).toEqual([0, 0, null]);
  });
});

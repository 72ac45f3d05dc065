import { describe, expect, it } from "vitest";
import type { SpectateReturnPayload } from "../../src/protocol";
import { GuildSeqs } from "./guildSeqs";

const answer = (over: Partial<SpectateReturnPayload>): SpectateReturnPayload & { guild_id: string } =>
  ({
    _id: 1,
    success: true,
    guild_id: "7",
    include_logs: true,
    pool_seq: 100,
    logs_seq: 50,
    replayed: 0,
    ...over,
  }) as SpectateReturnPayload & { guild_id: string };

describe("GuildSeqs: pool and log frames", () => {
  it("applies the next seq, drops duplicates, says ahead while asking and gap otherwise", () => {
    const seqs = new GuildSeqs();
    expect(seqs.takePool("7", 5, false)).toBe("apply"); // never held: anything goes
    seqs.poolApplied("7", 5);
    expect(seqs.takePool("7", 5, false)).toBe("duplicate");
    expect(seqs.takePool("7", 6, false)).toBe("apply");
    expect(seqs.takePool("7", 8, true)).toBe("ahead");
    expect(seqs.takePool("7", 8, false)).toBe("gap");
    expect(seqs.poolOf("7")).toBe(5);
  });

  it("delivers each log seq once, in any guild", () => {
    const seqs = new GuildSeqs();
    expect([seqs.takeLog("7", 3), seqs.takeLog("7", 3), seqs.takeLog("7", 2), seqs.takeLog("7", 4)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(seqs.poolOf("7")).toBe(0);
  });
});

describe("GuildSeqs: seeds, asks and answers", () => {
  it("restored copies: the oldest wins until the guild is answered", () => {
    const seqs = new GuildSeqs();
    seqs.seed("7", 40);
    seqs.seed("7", 30);
    expect(seqs.poolOf("7")).toBe(30);
    expect(seqs.canCatchUp("7")).toBe(true);
    const asked = seqs.ask("7", false);
    expect(asked).toEqual({ known: { pool: 30, logs: 0 }, logsFrom: undefined });
    const outcome = seqs.answered(answer({ pool_seq: 45 }), asked);
    expect(outcome).toEqual({ invalidate: false, logsGap: null, replayedAll: true });
    seqs.hold(answer({ pool_seq: 45 }), asked);
    expect(seqs.canCatchUp("7")).toBe(false);
    expect(seqs.poolOf("7")).toBe(30); // the replay brings 31..45
    seqs.seed("7", 10); // a copy after the guild was answered changes nothing
    expect(seqs.poolOf("7")).toBe(30);
  });

  it("a catch-up completes once pool and presence seqs reach the answer's", () => {
    const seqs = new GuildSeqs();
    seqs.seed("7", 30);
    seqs.startCatchUp("7", 32, 9);
    seqs.poolApplied("7", 32);
    expect(seqs.caughtUp("7", 8)).toBe(false);
    expect(seqs.catchingUp("7")).toBe(true);
    expect(seqs.caughtUp("7", 9)).toBe(true);
    expect(seqs.catchingUp("7")).toBe(false);
    expect(seqs.caughtUp("7", 9)).toBe(false); // told once
  });

  it("never spectated: the guild's pools are invalidated, seqs start at the answer", () => {
    const seqs = new GuildSeqs();
    const asked = seqs.ask("7", true);
    expect(seqs.answered(answer({}), asked).invalidate).toBe(true);
    seqs.hold(answer({}), asked);
    expect(seqs.poolOf("7")).toBe(100);
    expect(seqs.takeLog("7", 50)).toBe(false);
  });

  it("a gap too old to replay invalidates and tells log subscribers (restart vs lost history)", () => {
    const seqs = new GuildSeqs();
    seqs.poolApplied("7", 10);
    seqs.takeLog("7", 20);
    seqs.dropped(true, "7"); // logs were flowing: the next spectate replays them
    const asked = seqs.ask("7", true);
    expect(asked.logsFrom).toBe(20);
    expect(seqs.answered(answer({ replayed: -1, logs_seq: 5 }), asked)).toEqual({
      invalidate: true,
      logsGap: { guildId: "7", reason: "gateway_restart", afterSeq: 20, untilSeq: null },
      replayedAll: false,
    });
    expect(seqs.answered(answer({ replayed: -1, logs_seq: 90 }), asked).logsGap).toEqual({
      guildId: "7",
      reason: "history_lost",
      afterSeq: 20,
      untilSeq: 90,
    });
    seqs.hold(answer({ replayed: -1, pool_seq: 3, logs_seq: 5 }), asked);
    expect(seqs.poolOf("7")).toBe(3); // a restarted gateway counts from 0 again
  });

  it("frames taken before the answer keep the furthest seq", () => {
    const seqs = new GuildSeqs();
    seqs.poolApplied("7", 10);
    const asked = seqs.ask("7", false);
    seqs.poolApplied("7", 12); // the replay came first
    seqs.hold(answer({ pool_seq: 14 }), asked);
    expect(seqs.poolOf("7")).toBe(12);
  });
});

describe("GuildSeqs: resumed log streams and drops", () => {
  it("a tab's since is asked by the next spectate; while flowing, a later start is returned", () => {
    const seqs = new GuildSeqs();
    expect(seqs.resumeLogsFrom("7", 30, false)).toBeNull();
    expect(seqs.resumeLogsFrom("7", 25, false)).toBeNull();
    expect(seqs.ask("7", true).logsFrom).toBe(25);
    expect(seqs.ask("7", false).logsFrom).toBeUndefined();
    seqs.takeLog("7", 40);
    expect(seqs.resumeLogsFrom("7", 30, true)).toBe(40);
    expect(seqs.resumeLogsFrom("7", 45, true)).toBeNull();
  });

  it("a second drop before the logs flow again keeps the guild to resume; a logout forgets all", () => {
    const seqs = new GuildSeqs();
    seqs.takeLog("7", 20);
    seqs.dropped(true, "7");
    seqs.dropped(true, null);
    expect(seqs.ask("7", true).logsFrom).toBe(20);
    seqs.answeredNone();
    expect(seqs.ask("7", true).logsFrom).toBeUndefined();
    seqs.seed("8", 3);
    seqs.dropped(false, null);
    expect(seqs.poolOf("7")).toBeNull();
    expect(seqs.canCatchUp("8")).toBe(false);
  });
});

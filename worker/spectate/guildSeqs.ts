import type { SpectateReturnPayload } from "../../src/protocol";
import type { LogGap } from "../../src/shared";

/** The last pool and log seqs applied for a guild. */
export interface HeldSeqs {
  pool: number;
  logs: number;
}

/** What a spectate asks `since`, fixed when it leaves (frames taken meanwhile move the held seqs). */
export interface AskedSeqs {
  /** The held seqs (undefined: the guild was never spectated nor restored). */
  known: HeldSeqs | undefined;
  /** The log seq to replay from (undefined: logs are not replayed). */
  logsFrom: number | undefined;
}

/** What the answer to a spectate means for the guild's pools and log subscribers. */
export interface AnswerOutcome {
  /** The guild's pools missed updates that will not be replayed: they are dropped. */
  invalidate: boolean;
  /** Log entries that were flowing cannot be replayed. */
  logsGap: LogGap | null;
  /** Every pool update after the held seq is replayed behind the answer. */
  replayedAll: boolean;
}

/**
 * The seq bookkeeping of the spectated guilds (pure, no I/O): which pool and log seqs are held,
 * which come from restored copies, from which seq a resumed log stream continues, and when a
 * replay into a guild's pools is complete. The spectator asks it and acts on its answers.
 */
export class GuildSeqs {
  readonly #held = new Map<string, HeldSeqs>();
  /** Guilds whose seq comes from restored pools (not yet spectated): a spectate catches them up. */
  readonly #seeded = new Set<string>();
  /** Per guild, the seq after which tabs resume its log stream (their `since`, from a worker that ended). */
  readonly #logsSince = new Map<string, number>();
  /** The guild whose logs were flowing when the session or connection dropped: resumed from its seq. */
  #resumeLogs: string | null = null;
  /** After a replaying answer: the pool (and presence) seq at which the guild's pools are current. */
  #catchUp: { guildId: string; pool: number; presence: number | null } | null = null;

  /** The last pool seq applied for a guild (null: never spectated, nor restored). */
  poolOf(guildId: string): number | null {
    return this.#held.get(guildId)?.pool ?? null;
  }

  /** Pools of a guild were restored from a copy at `seq` (several copies: the oldest wins). */
  seed(guildId: string, seq: number): void {
    const held = this.#held.get(guildId);
    if (!held) {
      this.#held.set(guildId, { pool: seq, logs: 0 });
      this.#seeded.add(guildId);
    } else if (this.#seeded.has(guildId)) held.pool = Math.min(held.pool, seq);
  }

  /** Whether a spectate of this guild would catch restored pools up (their seq is seeded). */
  canCatchUp(guildId: string): boolean {
    return this.#seeded.has(guildId);
  }

  /** Whether a replay into this guild's pools is still being applied. */
  catchingUp(guildId: string): boolean {
    return this.#catchUp?.guildId === guildId;
  }

  /**
   * A pushed pool event: `apply`, `duplicate` (in already), `ahead` (a spectate of the guild is
   * on its way: its replay brings it in order) or `gap` (missed within one connection).
   */
  takePool(guildId: string, seq: number, asking: boolean): "apply" | "duplicate" | "ahead" | "gap" {
    const held = this.#held.get(guildId);
    if (!held) return "apply";
    if (seq <= held.pool) return "duplicate";
    if (seq === held.pool + 1) return "apply";
    return asking ? "ahead" : "gap";
  }

  poolApplied(guildId: string, seq: number): void {
    const held = this.#held.get(guildId);
    this.#held.set(guildId, { pool: seq, logs: held?.logs ?? 0 });
  }

  /** A log entry: true to deliver it, false for a seq already delivered. */
  takeLog(guildId: string, seq: number): boolean {
    const held = this.#held.get(guildId);
    if (!held) this.#held.set(guildId, { pool: 0, logs: seq });
    else if (seq > held.logs) held.logs = seq;
    else return false;
    return true;
  }

  /**
   * A tab resumes a guild's log stream after `since`. While the logs flow: the seq they flow
   * from when that is later (entries between are missed by that tab), else null. Otherwise the
   * next spectate with logs asks for what came after the lowest such seq (null).
   */
  resumeLogsFrom(guildId: string, since: number, flowing: boolean): number | null {
    const from = this.#held.get(guildId)?.logs;
    if (flowing && from !== undefined) return since < from ? from : null;
    this.#logsSince.set(guildId, Math.min(since, this.#logsSince.get(guildId) ?? since));
    return null;
  }

  /** What a spectate of the guild asks `since` (a copy: frames taken meanwhile move the held seqs). */
  ask(guildId: string | null, includeLogs: boolean): AskedSeqs {
    const held = guildId !== null ? this.#held.get(guildId) : undefined;
    const known = held ? { ...held } : undefined;
    if (!includeLogs || guildId === null) return { known, logsFrom: undefined };
    const logsFrom = this.#resumeLogs === guildId && known ? known.logs : this.#logsSince.get(guildId);
    return { known, logsFrom };
  }

  /** The gateway answered a spectate of a guild: what it means (the held seqs move in `hold`). */
  answered(answer: SpectateReturnPayload & { guild_id: string }, asked: AskedSeqs): AnswerOutcome {
    const guildId = answer.guild_id;
    const { known, logsFrom } = asked;
    this.#resumeLogs = null;
    this.#seeded.delete(guildId);
    if (answer.include_logs) this.#logsSince.delete(guildId);
    const lost = answer.replayed === -1;
    let logsGap: LogGap | null = null;
    if (lost && logsFrom !== undefined) {
      const restarted = answer.logs_seq < logsFrom;
      logsGap = {
        guildId,
        reason: restarted ? "gateway_restart" : "history_lost",
        afterSeq: logsFrom,
        untilSeq: restarted ? null : answer.logs_seq,
      };
    }
    // Never spectated: pools loaded before missed what happened meanwhile; lost: the gap is.
    return { invalidate: !known || lost, logsGap, replayedAll: known !== undefined && !lost };
  }

  /** The gateway answered a spectate of no guild: logs resume from nowhere. */
  answeredNone(): void {
    this.#resumeLogs = null;
  }

  /**
   * The seqs held after the answer. Frames taken before it (a replay sent first, live frames
   * overtaking it) already advanced them: the furthest is kept. A gap too old to replay starts
   * over from the answer (a restarted gateway counts from 0 again).
   */
  hold(answer: SpectateReturnPayload & { guild_id: string }, asked: AskedSeqs): void {
    const { known, logsFrom } = asked;
    const lost = answer.replayed === -1;
    const taken = lost ? undefined : this.#held.get(answer.guild_id);
    this.#held.set(answer.guild_id, {
      pool: Math.max(taken?.pool ?? 0, known !== undefined && !lost ? known.pool : answer.pool_seq),
      logs: Math.max(taken?.logs ?? 0, !lost && logsFrom !== undefined ? logsFrom : answer.logs_seq),
    });
  }

  /** A replay into the guild's pools makes them current at these seqs. */
  startCatchUp(guildId: string, pool: number, presence: number | null): void {
    this.#catchUp = { guildId, pool, presence };
  }

  /** Whether the guild's catch-up just completed (its pool and presence seqs reached); it ends. */
  caughtUp(guildId: string, presenceSeq: number | undefined): boolean {
    const target = this.#catchUp;
    if (!target || target.guildId !== guildId) return false;
    if ((this.#held.get(guildId)?.pool ?? 0) < target.pool) return false;
    if (target.presence !== null && (presenceSeq ?? 0) < target.presence) return false;
    this.#catchUp = null;
    return true;
  }

  /**
   * The session or connection dropped. Keeping the wish: the logs of `flowingLogs` (the guild
   * whose logs were flowing) are replayed on the next spectate. Otherwise everything is forgotten.
   */
  dropped(keep: boolean, flowingLogs: string | null): void {
    this.#catchUp = null;
    if (!keep) this.#resumeLogs = null;
    else if (flowingLogs !== null) this.#resumeLogs = flowingLogs;
    if (keep) return;
    this.#held.clear();
    this.#seeded.clear();
  }
}

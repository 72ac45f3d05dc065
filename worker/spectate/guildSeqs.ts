import type { PresenceSeqs } from "./presenceSeqs";
import type { Target } from "./target";

/** The last pool and log seqs applied for a guild. */
export interface HeldSeqs {
  pool: number;
  logs: number;
}

/** After a replaying answer: the pool seq (and presence seq) at which the guild's pools are current again. */
export interface CatchUp {
  guildId: string;
  seq: number;
  presence: number | null;
}

/**
 * The seq bookkeeping of the spectated guilds (plain data; the functions below are pure): which
 * pool and log seqs are held, which come from restored copies, from which seq log streams resume,
 * and when a replay into a guild's pools is complete. Presence seqs are `PresenceSeqs`.
 */
export interface GuildSeqs {
  held: Map<string, HeldSeqs>;
  /** Guilds whose seq comes from restored pools (not yet spectated): a spectate catches them up. */
  seeded: Set<string>;
  /**
   * Per guild, the seq after which tabs resume its log stream (their `since`, from a worker that
   * ended): the next spectate with logs asks for what came after.
   */
  logsSince: Map<string, number>;
  /** The guild whose logs were flowing when the session or connection dropped: resumed with `since.logs`. */
  resumeLogs: string | null;
  /** After a replaying answer: the seqs at which the guild's pools are current again. */
  catchUp: CatchUp | null;
  /**
   * The last RECENT_LOGS entries delivered (guild, seq, the gateway's JSON), in seq order: a tab
   * that resumes after the stream flows again here (it rejoined a new worker later than others)
   * gets what it missed from them rather than a gap. Forgotten with the user.
   */
  recent: [guildId: string, seq: number, raw: string][];
  /** Frames the gateway replayed after spectates with `since` (for diagnostics). */
  replayed: number;
}

/** How many delivered log entries the worker keeps for tabs that resume late (the gateway keeps 1,000). */
export const RECENT_LOGS = 1000;

export const guildSeqs = (): GuildSeqs => ({
  held: new Map(),
  seeded: new Set(),
  logsSince: new Map(),
  recent: [],
  replayed: 0,
  resumeLogs: null,
  catchUp: null,
});

/**
 * What a spectate asks `since` (undefined: not asked): the held pool and log seqs (a copy: frames
 * taken while it is on its way move them), the log seq to replay from, the presence seq.
 */
export type Since = [
  known: HeldSeqs | undefined,
  logsFrom: number | undefined,
  presenceSince: number | undefined,
];

/**
 * What a spectate of `target` asks `since`. Logs are replayed from the held log seq when they were
 * flowing before the drop (`resumeLogs`), else after what tabs resume from (`logsSince`).
 */
export function sinceOf(g: GuildSeqs, target: Target, presence: PresenceSeqs): Since {
  const seqs = target.guildId !== null ? g.held.get(target.guildId) : undefined;
  const known = seqs ? { ...seqs } : undefined;
  const presenceSince =
    target.includePresence && target.guildId !== null ? presence.of(target.guildId) : undefined;
  const logsFrom = !target.includeLogs
    ? undefined
    : g.resumeLogs === target.guildId && known
      ? known.logs
      : target.guildId !== null
        ? g.logsSince.get(target.guildId)
        : undefined;
  return [known, logsFrom, presenceSince];
}

/**
 * Pools of a guild were restored from a copy at `seq`: the first spectate of that guild asks for
 * what came after (`since`), instead of reloading them, unless the guild's seqs come from frames
 * already. Several copies: the oldest wins.
 */
export function seedSeq(g: GuildSeqs, guildId: string, seq: number): void {
  const seqs = g.held.get(guildId);
  if (!seqs) {
    g.held.set(guildId, { pool: seq, logs: 0 });
    g.seeded.add(guildId);
  } else if (g.seeded.has(guildId)) seqs.pool = Math.min(seqs.pool, seq);
}

/**
 * A pushed pool event, before it is applied: `apply` it; drop it as a `duplicate` (its seq is
 * in already: a replay meeting live frames); drop it as `ahead` (a spectate with `since` is on
 * its way, `asking`, and its replay brings every seq after what is held, this one included, in
 * order); or `gap` (updates missed within one connection: not applied, the guild is spectated
 * again from what is held).
 */
export function takePoolSeq(
  g: GuildSeqs,
  guildId: string,
  seq: number,
  asking: boolean,
): "apply" | "duplicate" | "ahead" | "gap" {
  const seqs = g.held.get(guildId);
  if (!seqs) return "apply";
  if (seq <= seqs.pool) return "duplicate";
  if (seq === seqs.pool + 1) return "apply";
  return asking ? "ahead" : "gap";
}

/** A pool event was applied: its seq is held. */
export function poolSeqApplied(g: GuildSeqs, guildId: string, seq: number): void {
  const seqs = g.held.get(guildId);
  g.held.set(guildId, { pool: seq, logs: seqs?.logs ?? 0 });
}

/** A log entry: true to deliver it (its seq is held, the entry kept in `recent`), false for a seq already delivered. */
export function takeLogSeq(g: GuildSeqs, guildId: string, seq: number, raw: string): boolean {
  const seqs = g.held.get(guildId);
  if (!seqs) g.held.set(guildId, { pool: 0, logs: seq });
  else if (seq > seqs.logs) seqs.logs = seq;
  else return false;
  if (g.recent.push([guildId, seq, raw]) > RECENT_LOGS) g.recent.shift();
  return true;
}

/**
 * The entries of a guild after `since` up to `upTo` from `recent`, if it holds every one of them
 * (else null: the tab is told a gap).
 */
export function missedLogs(g: GuildSeqs, guildId: string, since: number, upTo: number): string[] | null {
  const missed = g.recent.filter(([guild, seq]) => guild === guildId && seq > since && seq <= upTo);
  return missed.length === upTo - since && missed[0]?.[1] === since + 1
    ? missed.map(([, , raw]) => raw)
    : null;
}

/**
 * A tab resumes a guild's log stream after `since` (it came from a worker that ended). Before the
 * guild's logs are `flowing` here, the spectate asks for what came after the lowest such seq
 * (kept in `logsSince`): null. Once they flow from a later seq: the entries the tab missed if
 * `recent` has them all, else the seq they flow from (the tab is told a gap); null when it missed
 * nothing.
 */
export function resumeLogsAt(
  g: GuildSeqs,
  guildId: string,
  since: number,
  flowing: boolean,
): string[] | number | null {
  const from = g.held.get(guildId)?.logs;
  if (flowing && from !== undefined)
    return since < from ? (missedLogs(g, guildId, since, from) ?? from) : null;
  g.logsSince.set(guildId, Math.min(since, g.logsSince.get(guildId) ?? since));
  return null;
}

/**
 * Whether the replay into the guild's pools just completed: both its pool and presence seqs are
 * reached (the catch-up is then over).
 */
export function caughtUp(g: GuildSeqs, guildId: string, presence: PresenceSeqs): boolean {
  const target = g.catchUp;
  if (target?.guildId !== guildId || (g.held.get(guildId)?.pool ?? 0) < target.seq) return false;
  if (target.presence !== null && (presence.of(guildId) ?? 0) < target.presence) return false;
  g.catchUp = null;
  return true;
}

/**
 * The session ended (`actual`: what was spectated). Logs that were flowing are replayed when
 * spectating again, unless the wish is not kept (another user, a logout): then every seq is
 * forgotten. No catch-up is pending any more.
 */
export function resetSeqs(g: GuildSeqs, keepWish: boolean, actual: Target): void {
  if (!keepWish) g.resumeLogs = null;
  else if (actual.includeLogs) g.resumeLogs = actual.guildId;
  if (!keepWish) {
    g.held.clear();
    g.seeded.clear();
    g.recent = [];
  }
  g.catchUp = null;
}

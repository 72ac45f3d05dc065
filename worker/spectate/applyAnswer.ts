import type { SpectateReturnPayload } from "../../src/protocol";
import { caughtUp, type GuildSeqs, type Since } from "./guildSeqs";
import type { PresenceSeqs } from "./presenceSeqs";
import type { SpectatorDeps } from "./spectatorDeps";
import type { Target } from "./target";

/** The answer to a spectate of a guild (not of none). */
export type GuildAnswer = SpectateReturnPayload & { guild_id: string };

/**
 * The answer to a spectate of a guild, for its seqs and pools: the spectator has taken what the
 * connection spectates now (`actual`: presence frames flow when it includes presence); `since` is
 * what the spectate asked. When the replay brings every update after the held seqs, the guild's
 * restored pools are current again once it is all applied (`catchUp`).
 */
export function applyAnswer(
  answer: GuildAnswer,
  since: Since,
  actual: Target,
  g: GuildSeqs,
  presenceSeqs: PresenceSeqs,
  deps: Pick<SpectatorDeps, "invalidateGuild" | "logsGap" | "presenceFlow" | "caughtUp">,
): void {
  const guildId = answer.guild_id;
  const [known, logsFrom, presenceSince] = since;
  g.seeded.delete(guildId);
  if (answer.include_logs) g.logsSince.delete(guildId);
  const replayedAll = known !== undefined && answer.replayed !== -1;
  g.replayed += Math.max(0, answer.replayed);
  if (known && answer.replayed === -1) deps.invalidateGuild(guildId);
  if (answer.replayed === -1 && logsFrom !== undefined) {
    const restarted = answer.logs_seq < logsFrom;
    deps.logsGap({
      guildId,
      reason: restarted ? "gateway_restart" : "history_lost",
      afterSeq: logsFrom,
      untilSeq: restarted ? null : answer.logs_seq,
    });
  }
  // Replayed frames follow this answer and advance the seqs themselves.
  // Pools of this guild loaded before any spectate missed what happened in between: reload.
  if (!known) deps.invalidateGuild(guildId);
  // Frames taken before this answer (a replay sent first, live frames overtaking it) already
  // advanced the seqs: keep the furthest. A gap too old to replay starts over from the answer
  // (a restarted gateway counts from 0 again).
  const taken = answer.replayed === -1 ? undefined : g.held.get(guildId);
  g.held.set(guildId, {
    pool: Math.max(taken?.pool ?? 0, replayedAll ? known.pool : answer.pool_seq),
    logs: Math.max(
      taken?.logs ?? 0,
      answer.replayed !== -1 && logsFrom !== undefined ? logsFrom : answer.logs_seq,
    ),
  });
  // Presence frames flow from here (after the replay of what `since` missed, if asked).
  let presenceTarget: number | null = null;
  if (actual.includePresence) {
    const gatewaySeq = answer.presence_seq ?? 0;
    const from = presenceSeqs.flowing(guildId, presenceSince, answer.replayed, gatewaySeq);
    if (presenceSince !== undefined && answer.replayed !== -1) presenceTarget = gatewaySeq;
    deps.presenceFlow(guildId, from);
  }
  // What the replay brings makes the guild's restored pools current once it is all applied.
  if (replayedAll) {
    g.catchUp = { guildId, seq: answer.pool_seq, presence: presenceTarget };
    if (caughtUp(g, guildId, presenceSeqs)) deps.caughtUp(guildId);
  }
}

import type { SpectateReturnPayload } from "../../src/protocol";
import type { AskedSeqs, GuildSeqs } from "./guildSeqs";
import type { PresenceSeqs } from "./presenceSeqs";
import type { SpectatorDeps } from "./spectatorDeps";

type AnswerDeps = Pick<SpectatorDeps, "invalidateGuild" | "logsGap" | "presenceFlow" | "caughtUp">;

/** A replay into the guild's pools is complete once both its pool and presence seqs are reached. */
export function checkCaughtUp(
  seqs: GuildSeqs,
  presence: PresenceSeqs,
  deps: Pick<SpectatorDeps, "caughtUp">,
  guildId: string,
): void {
  if (seqs.caughtUp(guildId, presence.of(guildId))) deps.caughtUp(guildId);
}

/**
 * The answer to a spectate of a guild, for its pools, log subscribers and seqs: pools that
 * missed what cannot be replayed are dropped, log subscribers learn of a gap, the held seqs move,
 * presence flows from its seq, and a replay of everything held starts a catch-up.
 */
export function applyGuildAnswer(
  parts: AnswerDeps & { seqs: GuildSeqs; presence: PresenceSeqs },
  answer: SpectateReturnPayload & { guild_id: string },
  asked: AskedSeqs & { presenceSince: number | undefined },
  presenceFlows: boolean,
): void {
  const { seqs, presence } = parts;
  const deps = parts;
  const guildId = answer.guild_id;
  const outcome = seqs.answered(answer, asked);
  if (outcome.invalidate) deps.invalidateGuild(guildId);
  if (outcome.logsGap) deps.logsGap(outcome.logsGap);
  seqs.hold(answer, asked);
  // Presence frames flow from here (after the replay of what `since` missed, if asked).
  let presenceTarget: number | null = null;
  if (presenceFlows) {
    const gatewaySeq = answer.presence_seq ?? 0;
    const from = presence.flowing(guildId, asked.presenceSince, answer.replayed, gatewaySeq);
    if (asked.presenceSince !== undefined && answer.replayed !== -1) presenceTarget = gatewaySeq;
    deps.presenceFlow(guildId, from);
  }
  // What the replay brings makes the guild's restored pools current once it is all applied.
  if (outcome.replayedAll) {
    seqs.startCatchUp(guildId, answer.pool_seq, presenceTarget);
    checkCaughtUp(seqs, presence, deps, guildId);
  }
}

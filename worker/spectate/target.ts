import type { SpectateReturnPayload } from "../../src/protocol";
import type { PresenceSeqs, PresenceSupport } from "./presenceSeqs";
import type { SpectatorDeps } from "./spectatorDeps";

/** What tabs wish the connection to spectate: the latest wish wins. */
export interface Desired {
  guildId: string | null;
  owner: string | null;
  includeLogs: boolean;
}

/** What a spectate asks for: a guild (or none), its logs, its presence. */
export interface Target {
  guildId: string | null;
  includeLogs: boolean;
  includePresence: boolean;
}

/** Nothing spectated (a fresh object each time). */
export const noTarget = (): Target => ({ guildId: null, includeLogs: false, includePresence: false });

/** What a spectate would ask for now: the wished guild, its logs and presence as the tabs' views want. */
export function targetOf(
  desired: Desired,
  support: PresenceSupport,
  deps: Pick<SpectatorDeps, "logsWanted" | "presenceWanted">,
): Target {
  const guildId = desired.guildId;
  const includeLogs = guildId !== null && desired.includeLogs && deps.logsWanted(guildId);
  // Presence while a tab views the guild's members, or (any guild, none too) to learn whether
  // the gateway has it while an online view waits to know; never once it said it has not.
  const includePresence =
    support !== "unsupported" &&
    ((guildId !== null && deps.presenceWanted(guildId)) ||
      (support === "unknown" && deps.presenceWanted(null)));
  return { guildId, includeLogs, includePresence };
}

/**
 * Whether nothing is to be asked: the connection spectates the target (logs the gateway refused
 * count as had), or the same target just failed.
 */
export function isSynced(
  t: Target,
  actual: Target,
  failed: Target | null,
  logsRefused: string | null,
): boolean {
  if (
    failed &&
    failed.guildId === t.guildId &&
    failed.includeLogs === t.includeLogs &&
    failed.includePresence === t.includePresence
  )
    return true;
  if (t.guildId !== actual.guildId) return false;
  // No guild: presence only matters while the gateway's support is still to be learnt.
  if (
    t.guildId === null
      ? t.includePresence && !actual.includePresence
      : t.includePresence !== actual.includePresence
  )
    return false;
  return t.includeLogs === actual.includeLogs || (t.includeLogs && logsRefused === t.guildId);
}

/**
 * What the connection spectates once a spectate of `asked` is answered. Extension 2: presence asked
 * and not echoed means the gateway has no presence (never guessed): `presence` learns its support.
 */
export function answeredTarget(answer: SpectateReturnPayload, asked: Target, presence: PresenceSeqs): Target {
  const includePresence = asked.includePresence && answer.include_presence === true;
  if (asked.includePresence) presence.support = includePresence ? "supported" : "unsupported";
  return { guildId: answer.guild_id, includeLogs: answer.include_logs, includePresence };
}

import type { SpectatingState } from "../../src/shared";
import type { Desired, Target } from "./target";

/** The guild each tab asked to spectate (null: none), by tab id. */
export type Wanted = Map<string, string | null>;

/** What tabs asked to spectate, kept to be put back when a login that reset it fails. */
export interface SavedWishes {
  desired: Desired;
  wanted: [string, string | null][];
}

/** No guild wished yet (a fresh object each time). */
export const noWish = (): Desired => ({ guildId: null, owner: null, includeLogs: true });

/** The tabs' wanted guilds put back as saved. */
export function restoreWanted(wanted: Wanted, saved: SavedWishes): void {
  wanted.clear();
  for (const [tabId, guildId] of saved.wanted) wanted.set(tabId, guildId);
}

/** A refused wish undone: the tab wants what it wanted `before` again (undefined: nothing). */
export function undoWanted(wanted: Wanted, tabId: string, before: string | null | undefined): void {
  if (before === undefined) wanted.delete(tabId);
  else wanted.set(tabId, before);
}

/** What a focused tab wishes again: its wanted guild (null: it wanted none, or that is the wish already). */
export function refocused(desired: Desired, wanted: Wanted, tabId: string): Desired | null {
  if (!wanted.has(tabId)) return null;
  const guildId = wanted.get(tabId) ?? null;
  if (desired.guildId === guildId && desired.owner === tabId) return null;
  return { ...desired, guildId, owner: tabId };
}

/** What a tab is told of the spectate: what the connection spectates, and the tab's own wish. */
export function spectatingStateOf(
  actual: Target,
  desired: Desired,
  wanted: Wanted,
  pending: boolean,
  tabId: string,
): SpectatingState {
  return {
    guildId: actual.guildId,
    includeLogs: actual.includeLogs,
    pending,
    mine: desired.owner === tabId && desired.guildId === actual.guildId,
    wanted: wanted.get(tabId) ?? null,
  };
}

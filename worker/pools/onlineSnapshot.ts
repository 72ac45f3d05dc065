import { applyTo, type GuildMembers } from "./applyPresence";
import type { PoolStore } from "./poolStore";

export interface OnlineSnapshotDeps {
  /** The guild's presence seq while its presence frames flow here, else null (Extension 2). */
  presenceAt: (guildId: string) => number | null;
  /** A copy of a guild's member statuses at this presence seq. */
  seededPresence: (guildId: string, seq: number) => void;
  /** The member pools of a guild. */
  membersOf: (guildId: string) => GuildMembers;
  /** Loads the online view again (its snapshot missed frames). */
  reload: (store: PoolStore) => void;
}

/**
 * The online view's snapshot is in, at `seq`: the frames that came meanwhile apply on top. One
 * older than the frames flowing here missed some between: loaded again. Where presence does not
 * flow, the snapshot's seq is where a spectate of its guild catches up from.
 */
export function settleOnlineSnapshot(store: PoolStore, seq: number, deps: OnlineSnapshotDeps): void {
  const guildId = store.guildId as string;
  const buffered = store.presenceBuffer ?? [];
  store.presenceBuffer = null;
  store.presenceSeq = seq;
  // Settled now (it was not while frames waited): worth writing to the cache.
  store.afterChange?.(store);
  const flowing = deps.presenceAt(guildId);
  if (flowing === null) deps.seededPresence(guildId, seq);
  // Frames flow from later than the snapshot, the ones between missed: loaded again.
  else if ((buffered[0]?.seq ?? flowing + 1) > seq + 1) {
    store.presenceSeq = null;
    deps.reload(store);
    return;
  }
  // Frames taken meanwhile (also while its guild's spectate was on its way) apply on top.
  const members = deps.membersOf(guildId);
  for (const frame of buffered) applyTo(store, members, frame);
}

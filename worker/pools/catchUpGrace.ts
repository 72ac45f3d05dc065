import type { Cancel, Clock } from "../../src/shared";
import type { Spectator } from "../spectate/spectator";
import type { Pools } from "./pools";
import type { PoolStore } from "./poolStore";

/** Restored pools waiting for their guild's spectate to catch them up, with what ends each wait. */
export type CatchUpGraces = Map<PoolStore, Cancel>;

/**
 * Brings a restored pool up to date. A guild pool whose copy has a seq waits for a spectate of
 * its guild, which replays what it missed (`since`); if its guild is not spectated within the
 * grace window (`graceMs`, then again while it is still worth waiting), or the pool cannot catch
 * up, it is fetched again.
 */
export function revalidate(
  store: PoolStore,
  graces: CatchUpGraces,
  spectator: Pick<Spectator, "wishedGuildId" | "failedFor" | "canCatchUp" | "catchingUp">,
  pools: Pick<Pools, "refetch">,
  clock: Clock,
  graceMs: number,
): void {
  if (!store.meta.stale || store.meta.loadingAll || store.refetching || graces.has(store)) return;
  const guildId = store.guildId;
  // (Catching up: its guild's spectate was answered, the replay is on its way.)
  if (
    guildId === null ||
    store.restoredSeq === null ||
    !(spectator.canCatchUp(guildId) || spectator.catchingUp(guildId))
  )
    return pools.refetch(store);
  // Still worth waiting: its guild is wished for, its spectate neither answered nor refused.
  const waiting = () =>
    spectator.wishedGuildId === guildId &&
    !spectator.failedFor(guildId) &&
    (spectator.canCatchUp(guildId) || spectator.catchingUp(guildId));
  const check = () => {
    graces.delete(store);
    if (!store.meta.stale || store.listeners === 0) return;
    if (waiting()) graces.set(store, clock.setTimeout(check, graceMs));
    else pools.refetch(store);
  };
  graces.set(store, clock.setTimeout(check, graceMs));
}

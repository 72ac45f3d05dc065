import type { PoolStore } from "../pools/poolStore";
import type { PoolCache } from "./poolCache";

/**
 * Restores a pool from the current user's partition, once per generation: while it reads, loads
 * wait (`store.restoring`); a hit shows the cached copy's head at once (`source: "cache"`, stale),
 * then the rest a part at a time (status `loading` until the last). For a
 * guild pool the seq of the copy is handed to `seeded`, so spectating can catch up from it; for a
 * member pool the presence seq of its statuses to `seededPresence` likewise.
 */
export function restorePool(
  store: PoolStore,
  cache: PoolCache | null,
  seeded: (guildId: string, seq: number) => void,
  seededPresence: (guildId: string, seq: number) => void,
): void {
  if (!cache?.user || store.restoreTried || store.restoring) return;
  if (store.entities.size > 0 || store.meta.complete || store.meta.loadingAll) return;
  store.restoreTried = true;
  const generation = store.generation;
  const user = cache.user;
  store.restoring = cache
    .read(store.type, store.guildId, store.view)
    .then(async (pool) => {
      // Reset meanwhile (another user, a logout), or a load from the gateway under way or done:
      // the copy, or the rest of it, is not wanted.
      const unwanted = () => generation !== store.generation || cache.user !== user || store.meta.loadingAll;
      if (!pool || unwanted() || store.entities.size > 0 || store.meta.complete) return;
      store.restoredSeq = store.guildId !== null ? pool.seq : null;
      store.presenceSeq = store.ofMembers ? (pool.presenceSeq ?? null) : null;
      store.dispatch({
        type: "restored",
        data: pool.entities,
        count: pool.count,
        nonexistent: pool.missing,
        whole: pool.whole,
        savedAt: pool.savedAt,
      });
      // The rest a part at a time (read once, checked and shown one a macrotask).
      for (let i = 1; i <= pool.parts; i++) {
        const data = await pool.part(i);
        if (unwanted()) return;
        // An unreadable part: the partial copy goes, and the pool loads from the gateway.
        if (!data) return void store.dispatch({ type: "reset", error: null });
        // Entities a by-id fetch brought meanwhile are newer than the copy's.
        const older = data.filter((e) => !store.entities.has(e.id));
        store.dispatch({ type: "restoredPart", data: older, last: i === pool.parts, whole: pool.whole });
      }
      // The seqs describe the whole copy: the spectate catches up from them once all of it is in.
      if (store.guildId !== null && pool.seq !== null) seeded(store.guildId, pool.seq);
      if (store.guildId !== null && store.presenceSeq !== null)
        seededPresence(store.guildId, store.presenceSeq);
    })
    .catch(() => {
      // The cache counts its own failures; the pool simply loads from the gateway.
    })
    .finally(() => {
      store.restoring = null;
      store.restoreDone.emit();
    });
}

/**
 * Asks the cache to write a pool (coalesced: the record is made when the write happens). Only a
 * settled copy from the gateway is written: not a stale restore, not a load half done, not an error.
 */
export function scheduleWrite(
  store: PoolStore,
  cache: PoolCache | null,
  seqOf: (guildId: string) => number | null,
): void {
  const user = cache?.user;
  if (!cache || !user || !worthWriting(store)) return;
  const generation = store.generation;
  cache.schedule(`${user}|${store.key}`, () => {
    if (generation !== store.generation || !worthWriting(store)) return null;
    return {
      userId: user,
      type: store.type,
      guildId: store.guildId,
      whole: store.meta.complete,
      seq: store.guildId !== null ? seqOf(store.guildId) : null,
      entities: store.entities.values(),
      missing: store.nonexistent,
      view: store.view,
      presenceSeq: store.ofMembers ? store.presenceSeq : undefined,
    };
  });
}

function worthWriting(store: PoolStore): boolean {
  const meta = store.meta;
  if (meta.stale || meta.loadingAll || meta.status === "error" || store.presenceBuffer) return false;
  return meta.complete || store.entities.size > 0 || store.nonexistent.size > 0;
}

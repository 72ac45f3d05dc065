import type { PoolStore } from "./poolStore";

/**
 * What a member pool does once its guild's presence frames flow from `fromSeq`, so its statuses
 * are current: `refetch` a restored copy (whole or by id), `reload` a whole pool, `refetchIds` a
 * partial one; null when it has nothing to bring up to date (nothing held, statuses at or above
 * `fromSeq`, a load under way, nobody listening, or an online view whose snapshot streams in and
 * is checked when it is in).
 */
export type StatusCatchUp = "refetch" | "reload" | "refetchIds" | null;

export function statusCatchUp(
  store: Pick<PoolStore, "presenceBuffer" | "meta" | "listeners" | "entities" | "presenceSeq">,
  fromSeq: number,
): StatusCatchUp {
  if (store.presenceBuffer || store.meta.loadingAll || store.listeners === 0) return null;
  const held = store.entities.size > 0 || store.meta.complete;
  if (!held || (store.presenceSeq !== null && store.presenceSeq >= fromSeq)) return null;
  if (store.meta.stale) return "refetch";
  return store.meta.complete ? "reload" : "refetchIds";
}

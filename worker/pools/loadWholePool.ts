import type { Entity } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import type { PresenceSupport } from "../spectate/presenceSeqs";
import { settleOnlineSnapshot, type OnlineSnapshotDeps } from "./onlineSnapshot";
import { responseFor, scopeOf } from "./poolRequest";
import type { PoolStore } from "./poolStore";

export interface WholePoolDeps extends Omit<OnlineSnapshotDeps, "reload"> {
  requests: Pick<Requests, "send">;
  /** Whether the gateway has presence (it is never asked for an online snapshot unless it has). */
  presenceSupport: () => PresenceSupport;
  /** Counts the `pool_all_request`s sent. */
  sent: { all: number };
}

/**
 * Loads the whole pool unless it is held or loading (`revalidate`: held, but from the cache). The
 * online view's presence frames wait while its snapshot streams in; a member pool whose first
 * chunks came before its guild's presence flowed is loaded again once it is in.
 */
export function loadWholePool(store: PoolStore, revalidate: boolean, deps: WholePoolDeps): void {
  if ((store.meta.complete && !revalidate) || store.meta.loadingAll) return;
  const online = store.view === "online";
  // A gateway without presence would answer the whole pool: an online view never asks it.
  if (online && deps.presenceSupport() !== "supported") return;
  // Revalidating a restored copy, or reloading the online view: what the gateway no longer has
  // goes at the end, unless a pushed update touched it meanwhile.
  const before = store.meta.stale || online ? new Map(store.entities) : null;
  store.dispatch({ type: "loadAllStarted" });
  let restart = false;
  const generation = store.generation;
  deps.sent.all++;
  // Presence frames during the snapshot wait; the ones above its presence seq apply on top.
  if (online) store.presenceBuffer = [];
  let snapshotSeq: number | null = null;
  /** A chunk read while its guild's presence did not flow: its statuses are of unknown age. */
  let unknownAge = false;
  const guildId = store.guildId as string;
  const reload = (store: PoolStore) => loadWholePool(store, true, deps);
  deps.requests
    .send({
      event: "pool_all_request",
      needsAuth: true,
      // An online snapshot is not sent again after a drop: the next gateway may not have
      // presence; the view asks again once it said it has.
      retry: !online,
      build: (_id, token) => ({
        _id,
        token: token ?? "",
        ...scopeOf(store),
        ...(online ? { filter: "online" as const } : {}),
      }),
      onRestart: () => {
        restart = true;
      },
      collect: (event, payload) => {
        const frame = responseFor(store, event, payload, true);
        // A reset came in between (logout, another user, a missed gap): this answer is stale.
        if (generation !== store.generation) return { done: true, value: null };
        snapshotSeq = frame.presence_seq ?? null;
        if (before) for (const entity of frame.data) before.delete((entity as Entity).id);
        const prune =
          before && frame.finished
            ? [...before].filter(([id, entity]) => store.entities.get(id) === entity).map(([id]) => id)
            : undefined;
        if (store.ofMembers && !online) {
          const at = deps.presenceAt(guildId);
          unknownAge ||= at === null;
          store.presenceSeq = unknownAge ? null : at;
        }
        store.dispatch({
          type: "chunk",
          data: frame.data as Entity[],
          total: frame.total ?? null,
          finished: frame.finished,
          restart,
          ...(prune ? { prune } : {}),
        });
        restart = false;
        if (frame.finished && online) settleOnlineSnapshot(store, snapshotSeq ?? 0, { ...deps, reload });
        // Presence began to flow while it streamed: its first chunks may miss frames: again.
        else if (frame.finished && unknownAge && deps.presenceAt(guildId) !== null) reload(store);
        return frame.finished ? { done: true, value: null } : { done: false };
      },
    })
    .catch((error: unknown) => {
      if (generation !== store.generation) return;
      if (online) store.presenceBuffer = null;
      const info = GatewayError.info(error);
      store.dispatch(
        online && info.code === "disconnected" ? { type: "interrupted" } : { type: "failed", error: info },
      );
    });
}

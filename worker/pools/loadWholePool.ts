import type { Entity } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import type { PresenceSupport } from "../spectate/presenceSeqs";
import { applyTo, type GuildMembers } from "./applyPresence";
import { responseFor, scopeOf } from "./poolRequest";
import type { PoolStore } from "./poolStore";

/** What a whole-pool load needs of the pools' dependencies. */
export interface WholePoolDeps {
  requests: Pick<Requests, "send">;
  /** The guild's presence seq while its presence frames flow here, else null (Extension 2). */
  presenceAt: (guildId: string) => number | null;
  /** A copy of a guild's member statuses at this presence seq (a snapshot, or restored). */
  seededPresence: (guildId: string, seq: number) => void;
  /** Whether the gateway has presence (it is never asked for an online snapshot unless it has). */
  presenceSupport: () => PresenceSupport;
}

/** The member pools of a guild, and how the online view fetches members it does not know. */
export type MembersOf = (guildId: string) => GuildMembers;

/** Loads the whole pool unless it is held or loading (`revalidate`: held, but from the cache). */
export function loadWholePool(
  store: PoolStore,
  deps: WholePoolDeps,
  sent: { all: number },
  membersOf: MembersOf,
  revalidate?: boolean,
): void {
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
  sent.all++;
  // Presence frames during the snapshot wait; the ones above its presence seq apply on top.
  if (online) store.presenceBuffer = [];
  let snapshotSeq: number | null = null;
  /** A chunk read while its guild's presence did not flow: its statuses are of unknown age. */
  let unknownAge = false;
  const guildId = store.guildId as string;
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
        if (frame.finished && online) snapshotIn(store, deps, sent, membersOf, snapshotSeq ?? 0);
        // Presence began to flow while it streamed: its first chunks may miss frames: again.
        else if (frame.finished && unknownAge && deps.presenceAt(guildId) !== null)
          loadWholePool(store, deps, sent, membersOf, true);
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

/**
 * The online view's snapshot is in, at `seq`: the frames that came meanwhile apply on top. One
 * older than the frames flowing here missed some between: loaded again. Where presence does not
 * flow, the snapshot's seq is where a spectate of its guild catches up from.
 */
function snapshotIn(
  store: PoolStore,
  deps: WholePoolDeps,
  sent: { all: number },
  membersOf: MembersOf,
  seq: number,
): void {
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
    loadWholePool(store, deps, sent, membersOf, true);
    return;
  }
  // Frames taken meanwhile (also while its guild's spectate was on its way) apply on top.
  const members = membersOf(guildId);
  for (const frame of buffered) applyTo(store, members, frame);
}

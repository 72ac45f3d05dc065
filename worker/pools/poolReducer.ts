import type { Entity, PoolUpdateOp } from "../../src/protocol";
import type { ErrorInfo, PoolSource, PoolStatus } from "../../src/shared";

/** The scalar state of one pool (its entities live in a Map beside it). */
export interface PoolMeta {
  status: PoolStatus;
  /** The whole pool is held (and kept current by log_pool). */
  complete: boolean;
  /** A whole-pool load is under way. */
  loadingAll: boolean;
  loaded: number;
  total: number | null;
  error: ErrorInfo | null;
  /** `cache` from a restore until revalidated (caught up by seq, or fetched again). */
  source: PoolSource;
  stale: boolean;
  /** When the restored copy was written; null for data from the gateway. */
  savedAt: number | null;
}

export type PoolAction =
  | { type: "loadAllStarted" }
  | {
      type: "chunk";
      data: Entity[];
      total: number | null;
      finished: boolean;
      restart: boolean;
      /** With the last chunk of a revalidating load: held ids the fresh pool no longer has. */
      prune?: string[];
    }
  /** A cached copy's first entities (`count` in all: the rest follows in `restoredPart`s). */
  | {
      type: "restored";
      data: Entity[];
      count: number;
      nonexistent: string[];
      whole: boolean;
      savedAt: number;
    }
  /** More of a cached copy; with the `last` part it is all on show. */
  | { type: "restoredPart"; data: Entity[]; last: boolean; whole: boolean }
  | { type: "revalidated" }
  | { type: "entities"; data: Entity[]; nonexistent: string[] }
  | { type: "update"; op: PoolUpdateOp; id: string; entity?: Entity }
  /** Presence changes (Extension 2): entities replaced (their status) or gone from the online view. */
  | { type: "presence"; upsert: Entity[]; remove: string[] }
  | { type: "failed"; error: ErrorInfo }
  /** A whole-pool load that will not be sent again (the connection dropped): it asks again later. */
  | { type: "interrupted" }
  /** A by-id answer left some ids asked out (their entities were malformed and dropped). */
  | { type: "unanswered"; error: ErrorInfo }
  | { type: "reset"; error: ErrorInfo | null };

/** What an action does: the next meta and the entity changes to apply and announce. */
export interface PoolChange {
  meta: PoolMeta;
  upsert: Entity[];
  remove: string[];
  nonexistent: string[];
  /** Subscribers must drop what they hold first. */
  reset: boolean;
}

export const initialPoolMeta: PoolMeta = {
  status: "ready",
  complete: false,
  loadingAll: false,
  loaded: 0,
  total: null,
  error: null,
  source: "network",
  stale: false,
  savedAt: null,
};

const fresh = { source: "network", stale: false, savedAt: null } as const;

/** Pure: the change an action makes to a pool whose scalar state is `meta`. */
export function reducePool(meta: PoolMeta, action: PoolAction): PoolChange {
  const none = { upsert: [], remove: [], nonexistent: [], reset: false };
  switch (action.type) {
    case "loadAllStarted":
      // A restored pool stays on show (ready, stale) while the gateway's copy streams in.
      if (meta.stale) return { ...none, meta: { ...meta, loadingAll: true, error: null } };
      return { ...none, meta: { ...meta, status: "loading", loadingAll: true, loaded: 0, error: null } };
    case "chunk": {
      const loaded = (action.restart ? 0 : meta.loaded) + action.data.length;
      const done = action.finished;
      return {
        ...none,
        upsert: action.data,
        remove: done ? (action.prune ?? []) : [],
        meta: {
          ...meta,
          status: done || meta.stale ? "ready" : "loading",
          complete: meta.complete || done,
          loadingAll: !done,
          loaded: meta.stale && !done ? meta.loaded : loaded,
          total: meta.stale && !done ? meta.total : (action.total ?? (done ? loaded : meta.total)),
          error: null,
          ...(done ? fresh : {}),
        },
      };
    }
    case "restored": {
      const partial = action.data.length < action.count;
      return {
        ...none,
        upsert: action.data,
        nonexistent: action.nonexistent,
        meta: {
          ...meta,
          status: partial ? "loading" : "ready",
          complete: action.whole && !partial,
          loaded: action.data.length,
          total: action.whole ? action.count : null,
          error: null,
          source: "cache",
          stale: true,
          savedAt: action.savedAt,
        },
      };
    }
    case "restoredPart":
      return {
        ...none,
        upsert: action.data,
        meta: {
          ...meta,
          status: action.last ? "ready" : "loading",
          complete: action.last && action.whole,
          loaded: meta.loaded + action.data.length,
        },
      };
    case "revalidated":
      return { ...none, meta: { ...meta, ...fresh } };
    case "entities":
      return {
        ...none,
        upsert: action.data,
        nonexistent: action.nonexistent,
        meta: { ...meta, status: meta.loadingAll && !meta.stale ? "loading" : "ready", error: null },
      };
    case "update":
      // Counts of a complete pool follow its size; the store settles them after applying.
      if (action.op === "remove") return { ...none, remove: [action.id], meta };
      return { ...none, upsert: action.entity ? [action.entity] : [], meta };
    case "presence":
      // Counts of a complete pool follow its size; the store settles them after applying.
      return { ...none, upsert: action.upsert, remove: action.remove, meta };
    case "failed":
      return { ...none, meta: { ...meta, status: "error", loadingAll: false, error: action.error } };
    case "interrupted":
      return {
        ...none,
        meta: { ...meta, status: meta.status === "loading" ? "ready" : meta.status, loadingAll: false },
      };
    case "unanswered":
      // The pool's own status stays: only subscriptions still missing ids show the error.
      return { ...none, meta: { ...meta, error: action.error } };
    case "reset":
      return {
        ...none,
        reset: true,
        meta: { ...initialPoolMeta, status: action.error ? "error" : "ready", error: action.error },
      };
  }
}

import type { Entity, PoolUpdateOp } from "../src/protocol";
import type { ErrorInfo, PoolStatus } from "../src/shared";

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
}

export type PoolAction =
  | { type: "loadAllStarted" }
  | { type: "chunk"; data: Entity[]; total: number | null; finished: boolean; restart: boolean }
  | { type: "entities"; data: Entity[]; nonexistent: string[] }
  | { type: "update"; op: PoolUpdateOp; id: string; entity?: Entity }
  | { type: "failed"; error: ErrorInfo }
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
};

/** Pure: the change an action makes to a pool whose scalar state is `meta`. */
export function reducePool(meta: PoolMeta, action: PoolAction): PoolChange {
  const none = { upsert: [], remove: [], nonexistent: [], reset: false };
  switch (action.type) {
    case "loadAllStarted":
      return { ...none, meta: { ...meta, status: "loading", loadingAll: true, loaded: 0, error: null } };
    case "chunk": {
      const loaded = (action.restart ? 0 : meta.loaded) + action.data.length;
      return {
        ...none,
        upsert: action.data,
        meta: {
          ...meta,
          status: action.finished ? "ready" : "loading",
          complete: meta.complete || action.finished,
          loadingAll: !action.finished,
          loaded,
          total: action.total ?? (action.finished ? loaded : meta.total),
          error: null,
        },
      };
    }
    case "entities":
      return {
        ...none,
        upsert: action.data,
        nonexistent: action.nonexistent,
        meta: { ...meta, status: meta.loadingAll ? "loading" : "ready", error: null },
      };
    case "update":
      // Counts of a complete pool follow its size; the store settles them after applying.
      if (action.op === "remove") return { ...none, remove: [action.id], meta };
      return { ...none, upsert: action.entity ? [action.entity] : [], meta };
    case "failed":
      return { ...none, meta: { ...meta, status: "error", loadingAll: false, error: action.error } };
    case "reset":
      return {
        ...none,
        reset: true,
        meta: { ...initialPoolMeta, status: action.error ? "error" : "ready", error: action.error },
      };
  }
}

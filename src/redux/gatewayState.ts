import type { Entity } from "../protocol/entities";
import type { ErrorInfo } from "../shared/GatewayError";
import type {
  ConnectionState,
  LogEntry,
  LogGap,
  PoolSource,
  PoolStatus,
  SessionState,
  SpectatingState,
} from "../shared/tabProtocol";

/** Where a pool slice stands: `idle` (not subscribed), then the client's own statuses. */
export type PoolSliceStatus = "idle" | PoolStatus;

/**
 * One pool in the store, normalized: plain JSON (no Map, Set, Date or class). Entities that did
 * not change keep their object from one state to the next (also across a reload with equal
 * content), so memoized selectors and `React.memo` rows skip them.
 */
export interface PoolSlice<T = Entity> {
  /** `idle` (no such subscription), `waiting` (needs a login), `loading`, `ready` or `error`. */
  readonly status: PoolSliceStatus;
  /** The entities' ids: arrival order for a whole pool, the order asked for a by-id spec. */
  readonly ids: readonly string[];
  /** The entities by id. */
  readonly entities: Readonly<Record<string, T>>;
  /** Ids the gateway says do not exist (by-id specs). */
  readonly nonexistent: readonly string[];
  /** Entities received so far (whole pools), or ids held (by-id specs). */
  readonly loaded: number;
  /** The pool's size once announced, else null. */
  readonly total: number | null;
  /** Showing cached entities that are being brought up to date. */
  readonly stale: boolean;
  /** `cache` (restored, not yet revalidated), `network`, or null before anything arrived. */
  readonly source: PoolSource | null;
  /** Why it failed (a load failure, or the observable's error), as plain `{code, message}`. */
  readonly error: ErrorInfo | null;
  /** When the cached copy was written (ms since epoch), or null. */
  readonly savedAt: number | null;
}

/** One guild's live log in the store: a window of its newest entries. */
export interface LogsSlice {
  /** The newest entries, oldest first, at most `limit`. */
  readonly entries: readonly LogEntry[];
  /** The last gap the stream announced (entries may be missing before the entry after it), or null. */
  readonly gap: LogGap | null;
  /** Entries received since the subscription started (the window drops the oldest). */
  readonly received: number;
  /** The window's size: the largest `limit` among the specs subscribed. */
  readonly limit: number;
  /** The stream's error as plain `{code, message}`, or null. */
  readonly error: ErrorInfo | null;
}

/** What the binding's reducer keeps (mounted at `options.key`, default `gateway`). */
export interface GatewayState {
  /** `connection$`'s latest value, null until the first. */
  readonly connection: ConnectionState | null;
  /** `session$`'s latest value, null until the first. Never holds a token. */
  readonly session: SessionState | null;
  /** `spectating$`'s latest value, null until the first. */
  readonly spectating: SpectatingState | null;
  /** Why the client could not be created or its state streams failed, else null. */
  readonly error: ErrorInfo | null;
  /** Pool slices by spec (see `poolKey`); a spec's slice exists while it is subscribed. */
  readonly pools: Readonly<Record<string, PoolSlice>>;
  /** Log windows by guild id; one exists while the guild's logs are subscribed. */
  readonly logs: Readonly<Record<string, LogsSlice>>;
}

/** The slice a selector returns for a pool spec that is not in the store (always this object). */
export const EMPTY_POOL_SLICE: PoolSlice<never> = Object.freeze({
  status: "idle",
  ids: Object.freeze([]) as readonly string[],
  entities: Object.freeze({}),
  nonexistent: Object.freeze([]) as readonly string[],
  loaded: 0,
  total: null,
  stale: false,
  source: null,
  error: null,
  savedAt: null,
});

/** The window a selector returns for a guild whose logs are not in the store (always this object). */
export const EMPTY_LOGS_SLICE: LogsSlice = Object.freeze({
  entries: Object.freeze([]) as readonly LogEntry[],
  gap: null,
  received: 0,
  limit: 0,
  error: null,
});

/** The reducer's initial state. */
export const INITIAL_GATEWAY_STATE: GatewayState = {
  connection: null,
  session: null,
  spectating: null,
  error: null,
  pools: {},
  logs: {},
};

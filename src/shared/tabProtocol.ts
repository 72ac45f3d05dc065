import type {
  Entity,
  InterpretPayload,
  InterpretReturnPayload,
  LogAction,
  PoolType,
  Seq,
  Snowflake,
} from "../protocol";
import type { ErrorInfo } from "./GatewayError";

/**
 * The contract between a page and the SharedWorker (over Comlink and one delivery port per
 * tab). Types only. Bump TAB_PROTOCOL_VERSION on any incompatible change.
 */
export const TAB_PROTOCOL_VERSION = 6;

/**
 * The subscription id of the session's token (a `value` item: the token, or null once there is
 * none): the worker tells every tab whenever it changes, and each keeps it in memory only (never
 * storage), so that whichever tab is left can log a new worker in (the next leader's, or one the
 * browser restarted) without a refresher. Never in any observable of the client.
 */
export const TOKEN_ITEM = 0;

/** A call's outcome: calls never throw across the boundary, so codes survive. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface HelloRequest {
  protocolVersion: number;
  tabProtocolVersion: number;
  buildId: string;
  gatewayUrl: string;
  /** Web Lock this tab holds for its whole life; the worker learns of the tab's end through it. */
  lockName: string | null;
  tabId: string;
  /**
   * The pool cache this tab wants (every tab of one worker must agree): settings, or false for
   * off. Settings left out are the defaults (`DEFAULT_CACHE_SETTINGS`), filled in by the worker
   * like every default of this request.
   */
  cache?: Partial<CacheSettings> | false;
  /** How the worker's socket spreads its reconnections (the first tab's settings; others must agree). */
  reconnect?: Partial<ReconnectSettings>;
  /**
   * What the worker may hold for this tab while the tab does not take its deliveries (queued items
   * plus log entries); beyond it the oldest log entries go (a `slow_tab` gap). The tab
   * acknowledges each delivery batch by posting any message on its delivery port.
   */
  backlog?: number;
  /**
   * The batching window to ask the gateway for (PROTOCOL.md Extension 1), 0–100 ms; 0: single
   * frames. The first tab's setting; others must agree.
   */
  batchMs?: number;
  /**
   * This tab may ask the worker for devtools actions (`WorkerApi.devtools`); without it they are
   * refused (`bad_input`). From `ConnectOptions.devtools`.
   */
  devtools?: boolean;
}

/** Defaults of `HelloRequest.cache` (see `ConnectOptions.cache`). */
export const DEFAULT_CACHE_SETTINGS: CacheSettings = {
  buster: "",
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytes: 50_000_000,
};

/** Reconnections: exponential backoff with full jitter, the first within `firstDelayMs`, capped. */
export interface ReconnectSettings {
  firstDelayMs: number;
  maxDelayMs: number;
}

/** Settings of the IndexedDB pool cache, defaults filled in (see `ConnectOptions.cache`). */
export interface CacheSettings {
  /** Joins every key: another value discards what older builds stored. */
  buster: string;
  /** Entries older than this are dropped on restore. */
  maxAgeMs: number;
  /** Size budget of the whole cache; least recently used pools go first. */
  maxBytes: number;
}

/** The pool cache, as `diagnostics$` shows it. */
export interface CacheDiagnostics {
  /**
   * `ready`: in use; `disabled`: turned off by the app; `unavailable`: IndexedDB could not be
   * opened (blocked storage, some private modes); `failed`: turned itself off after a storage
   * failure (quota). Everything works memory-only unless `ready`.
   */
  status: "ready" | "disabled" | "unavailable" | "failed";
  /** Why it is not `ready` (null when it is). */
  reason: string | null;
  /** Users with pools on disk. */
  partitions: number;
  /** Pool records on disk. */
  pools: number;
  /** Their approximate size in bytes. */
  approxBytes: number;
  /** Restores served from disk. */
  hits: number;
  /** Restores that found nothing. */
  misses: number;
  /** Records written. */
  writes: number;
  /** Records thrown away: unreadable, of another format, protocol or buster, or too old. */
  discarded: number;
  /** Storage operations that failed. */
  errors: number;
  /** Time the worker's thread spent writing the cache (serialising and cloning records), ms. */
  writeMs: number;
  /** Time restores waited for IndexedDB to read records (wall time), ms. */
  readMs: number;
  /** Time the worker's thread spent parsing and checking restored records, ms. */
  decodeMs: number;
}

/** The worker's answer to a tab's hello (what `GatewayClient.ready` resolves with, less `shared`). */
export interface HelloResponse {
  /** Random id of the running worker: tabs that share a worker see the same one. */
  workerId: string;
  /** The worker's build (its `BUILD_ID`). */
  buildId: string;
  /** The wire protocol the worker speaks (`PROTOCOL_VERSION`). */
  protocolVersion: number;
  /**
   * A Web Lock the worker holds for its whole life (null: no Web Locks). A tab that asks for it
   * is granted it exactly when the worker is gone (killed, crashed), and starts a new one.
   */
  workerLock: string | null;
}

/**
 * The socket's state: `idle` (no tab yet, or every tab gone), `connecting` (first attempt),
 * `connected`, `reconnecting` (dropped or failed; socket.io retries with backoff) or
 * `disconnected` (socket.io stopped retrying). Requests wait for `connected`, until their timeout.
 */
export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting" | "disconnected";

/** What `connection$` emits: the worker's one gateway socket, the same for every tab. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** The gateway URL (null before the first connection). */
  url: string | null;
  /** Socket.IO id of the socket while connected, else null. */
  socketId: string | null;
  /** Why the last connection attempt or connection failed. */
  lastError: string | null;
  /** The engine.io transport of the connection (`websocket`, `polling`) while connected, else null. */
  transport: string | null;
  /** While waiting to try again (`reconnecting`): when the next attempt starts, in ms since epoch; else null. */
  retryAt: number | null;
}

/** One change of the socket's status (`Diagnostics.transitions`). */
export interface Transition {
  /** ms since epoch */
  at: number;
  status: ConnectionStatus;
  /** Why it dropped or failed (the connection's `lastError` then), else null. */
  reason: string | null;
}

/**
 * The login of the connection, the same in every tab (`session$`; `login()` resolves with it):
 * - `anonymous`: not logged in (at start, after `logout()`).
 * - `authenticating`: a login for `userId` is on its way (unless that user is already authenticated).
 * - `authenticated`: logged in; `permissions`, `guilds` and `admin` come from the token's claims.
 * - `expired`: the gateway ended the session (`session_expired`), or the token was expired or
 *   refused when the connection came back; pending authenticated requests failed `session_expired`.
 *   Nothing authenticated works until the next `login()`: calls and loads fail `session_expired`
 *   (`not_authenticated` when never logged in or logged out). Spectate wishes are kept and
 *   resumed by the next login of the same user, replaying the log entries missed meanwhile.
 */
export type SessionState =
  | { status: "anonymous" }
  | {
      status: "authenticating";
      /** The user logging in (the token's `sub`). */
      userId: Snowflake;
    }
  | {
      status: "authenticated";
      /** The user logged in (the token's `sub`). */
      userId: Snowflake;
      /** Global architus permissions (`Permission` bits), which apply in every guild. */
      permissions: number;
      /** Guild id → architus permissions in that guild. */
      guilds: Record<Snowflake, number>;
      /** Architus staff: every permission in every guild. */
      admin: boolean;
      /** When the token expires (its `exp`), in ms since epoch. */
      expiresAt: number;
    }
  | {
      status: "expired";
      /** The user whose session expired. */
      userId: Snowflake;
    };

/** What `spectating$` emits and `spectate()` resolves with: the spectated guild, as one tab sees it. */
export interface SpectatingState {
  /** The guild the connection spectates now (confirmed by the gateway). */
  guildId: Snowflake | null;
  /** Whether the gateway sends this guild's logs now (needs a `logs$` subscriber, VIEW_PUBLIC_LOGS). */
  includeLogs: boolean;
  /** The wished guild or logs are not in effect yet: a spectate is on its way, or waits for a login. */
  pending: boolean;
  /** Whether this tab asked for the current guild. */
  mine: boolean;
  /** The guild this tab asked for last (re-asserted when it becomes visible or focused). */
  wanted: Snowflake | null;
}

/**
 * Where a pool or search snapshot stands: `waiting` (nothing to show yet, and nothing can be
 * loaded before a login), `loading`, `ready` (possibly from the cache: see `stale`), or `error`
 * (its `error` says why).
 */
export type PoolStatus = "waiting" | "loading" | "ready" | "error";

/** Where a pool snapshot's entities come from: the IndexedDB cache (not yet revalidated) or the gateway. */
export type PoolSource = "cache" | "network";

/**
 * How a tab reaches the one connection: `shared` (a SharedWorker), `leader` (no SharedWorker:
 * the tabs elect a leader, whose dedicated worker serves them all over BroadcastChannels), or
 * `per-tab` (a dedicated worker, and so a connection, per tab).
 */
export type GatewayMode = "shared" | "leader" | "per-tab";

/** What one subscription asks the worker for. */
export type SubscriptionSpec =
  | { kind: "connection" }
  | { kind: "session" }
  | { kind: "spectating" }
  | { kind: "diagnostics" }
  /** `view: "online"`: a guild's online members (member pools, `ids: "all"`; PROTOCOL.md Extension 2). */
  | { kind: "pool"; type: PoolType; guildId: Snowflake | null; ids: Snowflake[] | "all"; view?: "online" }
  | { kind: "search"; guildId: Snowflake; query: string; limit: number }
  /** `since`: the last seq this tab has (a worker that took over resumes the stream after it). */
  | { kind: "logs"; guildId: Snowflake; since?: Seq };

/** A change of a pool subscription: entities to add or replace, ids to drop. */
export interface PoolDelta {
  /** Forget everything held before this delta. */
  reset: boolean;
  upsert: Entity[];
  remove: Snowflake[];
  nonexistent: Snowflake[];
  status: PoolStatus;
  loaded: number;
  total: number | null;
  error: ErrorInfo | null;
  source: PoolSource;
  /** Showing cached entities not yet brought up to date. */
  stale: boolean;
  /** When the cached copy was written (ms since epoch), or null for data from the gateway. */
  savedAt: number | null;
}

export interface SearchResult {
  status: PoolStatus;
  entities: Entity[];
  error: ErrorInfo | null;
}

/** One entry of `logs$`: a `log_other` event of the spectated guild. */
export interface LogEntry {
  /** The guild's log sequence number; gaps are entries this user may not see (private ones). */
  seq: Seq;
  /** The log entry itself. */
  action: LogAction;
}

/**
 * Entries of a guild's log that may have been missed, said in the log stream itself (as
 * `gap` on a batch of `logs$`): `history_lost` (the gateway no longer had them to replay),
 * `gateway_restart` (its history started over), `worker_restart` (the worker ended; entries
 * published while none ran are not replayed), `slow_tab` (this tab did not take its deliveries, frozen,
 * blocked or too busy, for longer than its `backlog` lasts: the worker dropped the oldest).
 */
export interface LogGap {
  guildId: Snowflake;
  reason: "history_lost" | "gateway_restart" | "worker_restart" | "slow_tab";
  /** The last seq received before the gap (null: unknown). */
  afterSeq: Seq | null;
  /** The seq the stream goes on after (null: unknown; a restarted gateway counts from 0). */
  untilSeq: Seq | null;
}

/** What `logs$` emits: entries, in seq order; a batch with `gap` says entries may be missing before it. */
export type LogBatch = LogEntry[] & { gap?: LogGap };

/** One item of a delivery batch for subscription `s`. */
export type DeliveryItem =
  | { s: number; t: "value"; v: unknown }
  | { s: number; t: "pool"; d: PoolDelta }
  /** Log entries: the gateway's own JSON strings joined into one JSON array, parsed once in the tab. */
  | { s: number; t: "logs"; json: string }
  | { s: number; t: "gap"; g: LogGap }
  | { s: number; t: "error"; e: ErrorInfo };

/** An item as the worker queues it: log entries gather as strings until the batch is posted. */
export type QueuedItem =
  Exclude<DeliveryItem, { t: "logs" }> | { s: number; t: "logs"; raw: string[]; seqs: Seq[] };

/** What `diagnostics$` emits: the worker's state, for debugging. Never contains the token. */
export interface Diagnostics {
  /** Random id of the running worker. */
  workerId: string;
  /** The worker's wire protocol, tab protocol and build. */
  versions: { protocol: number; tabProtocol: number; build: string };
  /** Tabs connected to the worker (in leader mode: the leader's tab and its followers). */
  tabs: number;
  /** How tabs reach the worker: one SharedWorker, a leader tab's worker, or a worker per tab. */
  mode: GatewayMode;
  /** Leader mode: the tab whose worker serves the others (`GatewayClient.ready`'s `tabId`), else null. */
  leaderTabId: string | null;
  /** The socket, as `connection$` shows it. */
  connection: ConnectionState;
  /**
   * The guild the connection spectates, whether with logs, and the gateway's batching window
   * for its pushes (PROTOCOL.md Extension 1; null: single frames).
   */
  spectating: { guildId: Snowflake | null; includeLogs: boolean; batchMs: number | null };
  /** Subscriptions by kind, over all tabs. */
  subscriptions: Record<string, number>;
  /** Gateway requests in flight or waiting for the connection or the login. */
  pendingRequests: number;
  /**
   * Inbound events by name (`in:<event>`), and the worker's own counters: `badFrames`,
   * `staleFrames`, `orphanFrames`, `gatewayErrors`, `slowTabDropped` (log entries dropped for slow tabs), `poolAllRequests`, `poolByIdRequests`, `poolsHeld`.
   */
  counters: Record<string, number>;
  /** The IndexedDB pool cache. */
  cache: CacheDiagnostics;
  /** The socket's last status changes (at most {@link TRANSITIONS_KEPT}), oldest first. */
  transitions: Transition[];
  /** Each tab: its subscriptions, what the worker holds for it, how long its deliveries take. */
  tabList: TabDiagnostics[];
  /** Tabs that registered a token refresher. */
  refreshers: number;
  /** Per spectated guild (this session): the last pool and log seqs applied. */
  seqs: Record<Snowflake, { pool: number; logs: number }>;
  /** Every pool the worker holds. */
  pools: PoolDiagnostics[];
}

/** How many transitions `Diagnostics.transitions` keeps. */
export const TRANSITIONS_KEPT = 20;

/** How many delivery latencies `TabDiagnostics.latencyMs` keeps. */
export const LATENCIES_KEPT = 100;

/** One tab, as `diagnostics$` shows it. */
export interface TabDiagnostics {
  /** The tab's id (`GatewayClient.ready`'s `tabId`). */
  id: string;
  /** Its subscriptions by kind. */
  subscriptions: Record<string, number>;
  /** What the worker holds for it (queued updates plus log entries; see `backlog`). */
  backlog: number;
  /**
   * The latest delivery latencies (at most {@link LATENCIES_KEPT}), ms: from the worker's receipt
   * of the oldest item of a delivery batch to the tab's acknowledgement of that batch.
   */
  latencyMs: number[];
  /** Whether it asked for devtools actions (`ConnectOptions.devtools`). */
  devtools: boolean;
}

/** One pool the worker holds, as `diagnostics$` shows it. */
export interface PoolDiagnostics {
  type: PoolType;
  guildId: Snowflake | null;
  /** `online`: a guild's online members (Extension 2); null: the pool itself. */
  view: "online" | null;
  /** Entities held. */
  entities: number;
  status: PoolStatus;
  /** The whole pool is held (kept current by the guild's updates while spectated). */
  complete: boolean;
  loaded: number;
  total: number | null;
  source: PoolSource;
  stale: boolean;
  /** When its cached copy was written (ms since epoch), or null for data from the gateway. */
  savedAt: number | null;
  /** A whole-pool load is under way. */
  loadingAll: boolean;
  /** Why its last load failed, else null. */
  error: ErrorInfo | null;
  /** Subscriptions on it, over all tabs. */
  listeners: number;
  /** When it last changed (ms since epoch), or null. */
  updatedAt: number | null;
}

/**
 * What devtools may ask of the worker (`WorkerApi.devtools`): `drop` closes the socket's
 * transport as a network failure would (it reconnects), `restart` ends the worker (the tabs start
 * a new one), `respectate` asks the gateway for the spectated guild again (replaying what the seqs
 * say was missed).
 */
export type DevtoolsAction = "drop" | "restart" | "respectate";

/** What `interpret()` takes: the `interpret` payload without `_id` (the worker's business). */
export type InterpretMessage = Omit<InterpretPayload, "_id">;

/** The worker's API as one tab sees it. */
export interface WorkerApi {
  hello(request: HelloRequest, delivery: MessagePort): Promise<Result<HelloResponse>>;
  /**
   * Leader mode: this worker (the dedicated worker of the tab that won the election) serves the
   * origin's tabs over BroadcastChannels named after `channelBase` (see `channelProtocol`).
   * Answers with the worker's lifetime lock (see `HelloResponse.workerLock`).
   */
  lead(channelBase: string, leaderTabId: string): Promise<Result<{ workerLock: string | null }>>;
  login(token: string): Promise<Result<SessionState>>;
  logout(): Promise<Result<null>>;
  /** Registers (or with null, removes) this tab's token refresher. */
  setRefresher(refresher: (() => Promise<string>) | null): Promise<Result<null>>;
  spectate(guildId: Snowflake | null, options: { includeLogs: boolean }): Promise<Result<SpectatingState>>;
  /** The tab became visible or focused: take its wanted guild back. */
  focus(): Promise<Result<null>>;
  subscribe(id: number, spec: SubscriptionSpec): Promise<Result<null>>;
  unsubscribe(id: number): Promise<Result<null>>;
  interpret(message: InterpretMessage): Promise<Result<InterpretReturnPayload>>;
  /** Deletes every partition of the pool cache, on disk and in memory. */
  clearCache(): Promise<Result<null>>;
  /** The tab is going away (pagehide / close()). */
  bye(): Promise<Result<null>>;
  /** A devtools action; refused (`bad_input`) unless this tab's hello said `devtools`. Answers what it did. */
  devtools(action: DevtoolsAction): Promise<Result<string>>;
}

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
export const TAB_PROTOCOL_VERSION = 1;

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
}

export interface HelloResponse {
  workerId: string;
  buildId: string;
  protocolVersion: number;
}

export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting" | "disconnected";

export interface ConnectionState {
  status: ConnectionStatus;
  url: string | null;
  socketId: string | null;
  /** Why the last connection attempt or connection failed. */
  lastError: string | null;
}

export type SessionState =
  | { status: "anonymous" }
  | { status: "authenticating"; userId: Snowflake }
  | {
      status: "authenticated";
      userId: Snowflake;
      /** Global architus permissions. */
      permissions: number;
      /** Guild id → architus permissions in that guild. */
      guilds: Record<Snowflake, number>;
      admin: boolean;
      /** ms since epoch */
      expiresAt: number;
    }
  | { status: "expired"; userId: Snowflake };

export interface SpectatingState {
  /** The guild the connection spectates now (confirmed by the gateway). */
  guildId: Snowflake | null;
  /** Whether the gateway sends this guild's logs now. */
  includeLogs: boolean;
  /** A spectate is on its way to the gateway. */
  pending: boolean;
  /** Whether this tab asked for the current guild. */
  mine: boolean;
  /** The guild this tab asked for last (re-asserted when it becomes visible or focused). */
  wanted: Snowflake | null;
}

export type PoolStatus = "loading" | "ready" | "error";

/** What one subscription asks the worker for. */
export type SubscriptionSpec =
  | { kind: "connection" }
  | { kind: "session" }
  | { kind: "spectating" }
  | { kind: "diagnostics" }
  | { kind: "pool"; type: PoolType; guildId: Snowflake | null; ids: Snowflake[] | "all" }
  | { kind: "search"; guildId: Snowflake; query: string; limit: number }
  | { kind: "logs"; guildId: Snowflake };

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
}

export interface SearchResult {
  status: PoolStatus;
  entities: Entity[];
  error: ErrorInfo | null;
}

export interface LogEntry {
  seq: Seq;
  action: LogAction;
}

/** One item of a delivery batch for subscription `s`. */
export type DeliveryItem =
  | { s: number; t: "value"; v: unknown }
  | { s: number; t: "pool"; d: PoolDelta }
  /** Log entries: the gateway's own JSON strings joined into one JSON array, parsed once in the tab. */
  | { s: number; t: "logs"; json: string }
  | { s: number; t: "error"; e: ErrorInfo };

/** An item as the worker queues it: log entries gather as strings until the batch is posted. */
export type QueuedItem = Exclude<DeliveryItem, { t: "logs" }> | { s: number; t: "logs"; raw: string[] };

export interface Diagnostics {
  workerId: string;
  versions: { protocol: number; tabProtocol: number; build: string };
  tabs: number;
  connection: ConnectionState;
  spectating: { guildId: Snowflake | null; includeLogs: boolean };
  /** Subscriptions by kind, over all tabs. */
  subscriptions: Record<string, number>;
  pendingRequests: number;
  /** Inbound events by name, and a few of the worker's own counters. */
  counters: Record<string, number>;
}

/** Interpret input from a page: `_id` is the worker's business. */
export type InterpretMessage = Omit<InterpretPayload, "_id">;

/** The worker's API as one tab sees it. */
export interface WorkerApi {
  hello(request: HelloRequest, delivery: MessagePort): Promise<Result<HelloResponse>>;
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
  /** The tab is going away (pagehide / close()). */
  bye(): Promise<Result<null>>;
}

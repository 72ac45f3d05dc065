import type {
  DropElevationPayload,
  DropElevationReturnPayload,
  ErrorPayload,
  InterpretPayload,
  InterpretReturnPayload,
  LogBatchPayload,
  LogOtherPayload,
  LogPoolPayload,
  LogPresencePayload,
  PoolAllRequestPayload,
  PoolRequestPayload,
  PoolResponsePayload,
  PoolSearchRequestPayload,
  RequestElevationPayload,
  RequestElevationReturnPayload,
  SessionExpiredPayload,
  SpectatePayload,
  SpectateReturnPayload,
} from "./payloads";

/**
 * A JSON-serialised string whose parsed value is meant to be a `T`.
 * Every event carries exactly one such string; the receiver parses and validates it.
 * The type parameter is a phantom: it documents and checks at compile time, nothing more.
 */
export type Json<T> = string & { readonly __json?: T };

/** Payload (parsed) of each client → server event. */
export interface ClientPayloads {
  request_elevation: RequestElevationPayload;
  drop_elevation: DropElevationPayload;
  interpret: InterpretPayload;
  spectate: SpectatePayload;
  pool_all_request: PoolAllRequestPayload;
  pool_request: PoolRequestPayload;
  pool_search_request: PoolSearchRequestPayload;
}

/** Payload (parsed) of each server → client event. */
export interface ServerPayloads {
  request_elevation_return: RequestElevationReturnPayload;
  drop_elevation_return: DropElevationReturnPayload;
  interpret_return: InterpretReturnPayload;
  spectate_return: SpectateReturnPayload;
  pool_response: PoolResponsePayload;
  log_pool: LogPoolPayload;
  log_other: LogOtherPayload;
  /** Extension 1: batched pushes, only to a socket that asked for them in `spectate`. */
  log_batch: LogBatchPayload;
  /** Extension 2: presence changes, only to a socket that asked for them in `spectate`. */
  log_presence: LogPresencePayload;
  error: ErrorPayload;
  session_expired: SessionExpiredPayload;
}

/** Name of a client → server event. */
export type ClientEventName = keyof ClientPayloads;
/** Name of a server → client event. */
export type ServerEventName = keyof ServerPayloads;

/** Turns a payload map into a socket.io event map of one JSON-string argument each. */
export type EventMap<P> = { [E in keyof P]: (payload: Json<P[E]>) => void };

/** Events the client emits and the server listens to. `Server<ClientToServerEvents, ServerToClientEvents>`. */
export type ClientToServerEvents = EventMap<ClientPayloads>;
/** Events the server emits and the client listens to. `Socket<ServerToClientEvents, ClientToServerEvents>`. */
export type ServerToClientEvents = EventMap<ServerPayloads>;

/** Client events that need a token. */
export type AuthenticatedEventName = "spectate" | "pool_all_request" | "pool_request" | "pool_search_request";

/** Client events that need a token (a missing or malformed one is answered 401). */
export const AUTHENTICATED_EVENT_NAMES: readonly AuthenticatedEventName[] = [
  "spectate",
  "pool_all_request",
  "pool_request",
  "pool_search_request",
];

/** Every client → server event name. */
export const CLIENT_EVENT_NAMES: readonly ClientEventName[] = [
  "request_elevation",
  "drop_elevation",
  "interpret",
  "spectate",
  "pool_all_request",
  "pool_request",
  "pool_search_request",
];

/** Every server → client event name. */
export const SERVER_EVENT_NAMES: readonly ServerEventName[] = [
  "request_elevation_return",
  "drop_elevation_return",
  "interpret_return",
  "spectate_return",
  "pool_response",
  "log_pool",
  "log_other",
  "log_batch",
  "log_presence",
  "error",
  "session_expired",
];

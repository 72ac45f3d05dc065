import type { ErrorPayload, Json, ServerPayloads } from "../../src/protocol";
import type { Auth } from "./auth";
import type { Batches } from "./batches";
import type { Clock } from "./clock";
import type { Dataset } from "./dataset/Dataset";
import type { EventLog } from "./eventLog";
import type { NodeHistory } from "./history";
import type { GatewayServer, GatewaySocket, SocketSession } from "./socketSession";
import type { Stats } from "./stats";
import type { TopicEvent } from "./topicEvent";
import type { TopicSubscriptions } from "./topicSubscriptions";

export interface GatewayLimits {
  maxPayloadBytes: number;
  maxIdsPerRequest: number;
  requestsPerSecond: number;
  chunkSize: number;
}

/** Shared state and services of one gateway node. */
export interface GatewayContext {
  readonly io: GatewayServer;
  readonly auth: Auth;
  readonly clock: Clock;
  readonly dataset: Dataset;
  /** What this node delivered of each topic, numbered by the producer (its replay window). */
  readonly events: EventLog<TopicEvent>;
  /** Live messages in seq order, shared history for replay, the dataset kept current. */
  readonly history: NodeHistory;
  readonly topics: TopicSubscriptions;
  readonly stats: Stats;
  readonly limits: GatewayLimits;
  readonly sessions: Map<string, SocketSession>;
  /** Faults the gateway can be told to commit (tests, dev endpoint `POST /dev/fault`). */
  readonly faults: GatewayFaults;
  /** Whether it implements Extension 1 (batched pushes); without, `batch_ms` is ignored. */
  readonly batching: boolean;
  /**
   * Whether it implements Extension 2 (presence); without, `include_presence` and `filter` are
   * ignored and members carry no `status`.
   */
  readonly presence: boolean;
  readonly batches: Batches;
}

export interface GatewayFaults {
  /**
   * Send the frames a `since` replays before the `spectate_return` (another gateway might:
   * PROTOCOL.md says a client must survive either order).
   */
  replayBeforeAnswer: boolean;
}

/** Drops every socket's connection at once, as a network outage or a load balancer would. */
export function dropSockets(ctx: GatewayContext): number {
  let dropped = 0;
  for (const socket of ctx.io.sockets.sockets.values()) {
    socket.conn.close();
    dropped++;
  }
  return dropped;
}

/** Serialises a payload for the wire. */
export function encode<T>(value: T): Json<T> {
  return JSON.stringify(value) as Json<T>;
}

/** Sends a response to the socket's own room `<SID>`. */
export function reply<E extends keyof ServerPayloads>(
  session: SocketSession,
  event: E,
  payload: ServerPayloads[E],
): void {
  emitRaw(session.socket, event, encode(payload));
}

/** Sends an authenticated response to the socket's `<SID>_auth` room. */
export function replyAuth<E extends keyof ServerPayloads>(
  ctx: GatewayContext,
  session: SocketSession,
  event: E,
  payload: ServerPayloads[E],
): void {
  const emitter = ctx.io.to(authRoom(session.socket.id)) as unknown as {
    emit(event: string, payload: string): void;
  };
  emitter.emit(event, encode(payload));
}

/** Sends an `error` frame and counts it. */
export function replyError(ctx: GatewayContext, session: SocketSession, error: ErrorPayload): void {
  ctx.stats.countError(error.code);
  reply(session, "error", error);
}

/** Emits an already-serialised payload (typed by event name only). */
export function emitRaw(socket: GatewaySocket, event: keyof ServerPayloads, payload: string): void {
  (socket as unknown as { emit(event: string, payload: string): void }).emit(event, payload);
}

export const authRoom = (sid: string): string => `${sid}_auth`;
export const guildRoom = (guildId: string): string => `guild:${guildId}`;
export const logsRoom = (guildId: string): string => `guild:${guildId}:logs`;
export const privateLogsRoom = (guildId: string): string => `guild:${guildId}:logs:private`;
export const presenceRoom = (guildId: string): string => `guild:${guildId}:presence`;

import type { Entity, Member, PoolEntities, PoolType, PresenceStatus } from "./entities";
import type { GatewayErrorCode } from "./errors";
import type { RequestId, Seq, Snowflake } from "./ids";
import type { LogAction } from "./logAction";

// ---------- client → server ----------

/** `request_elevation`: logs the socket in with a JWT (answered by `request_elevation_return`). */
export interface RequestElevationPayload {
  _id: RequestId;
  token: string;
}

/** `drop_elevation`: logs the socket out, leaving its guild rooms (idempotent). */
export interface DropElevationPayload {
  _id: RequestId;
}

/** A reaction added or removed on a mock message. */
export interface MockReaction {
  message_id: Snowflake;
  emoji: string;
}

/** `interpret`: one message for the front-page bot mock (no login needed). */
export interface InterpretPayload {
  _id: RequestId;
  /** A mock guild id (< 10,000,000). */
  guild_id: Snowflake;
  /** Even: user messages are even, bot replies odd. */
  message_id: Snowflake;
  content: string;
  added_reactions?: MockReaction[];
  removed_reactions?: MockReaction[];
  /** When present, only these commands run (names without the prefix). */
  allowed_commands?: string[];
}

/** `spectate`: joins one guild's rooms (pool updates, and logs if asked), leaving the previous one's. */
export interface SpectatePayload {
  _id: RequestId;
  token: string;
  /** The guild to spectate, or null for none. */
  guild_id: Snowflake | null;
  /** Also receive the guild's logs (granted only with VIEW_PUBLIC_LOGS). */
  include_logs: boolean;
  /**
   * The last seq seen of each topic: the gateway replays what came after (see `replayed`).
   * `presence` only with `include_presence` (Extension 2).
   */
  since?: { pool?: Seq; logs?: Seq; presence?: Seq };
  /**
   * Extension 1 (batched pushes): gather this socket's pushes for up to this many ms (1–100) into
   * `log_batch` frames. Absent or 0: single frames. A gateway without the extension ignores it.
   */
  batch_ms?: number;
  /**
   * Extension 2 (presence): also receive the guild's `log_presence` frames. A gateway with the
   * extension echoes it with `presence_seq`; one without ignores it (no echo: unsupported).
   */
  include_presence?: boolean;
}

/** `pool_all_request`: a whole pool, answered by `pool_response` chunks of ≤ 1,000 entities. */
export interface PoolAllRequestPayload {
  _id: RequestId;
  token: string;
  type: PoolType;
  /** Required for guild pools, absent for `user` and `guild`. */
  guild_id?: Snowflake;
  /**
   * Extension 2: `"online"` (member pools only) answers the members online now, with the
   * `presence_seq` the snapshot reflects. Any other value or pool type is a 400.
   */
  filter?: MemberFilter;
}

/** The filters of `pool_all_request` (Extension 2): the online members of a guild. */
export type MemberFilter = "online";

/** `pool_request`: entities by id (≤ 1,000), answered by one `pool_response`. */
export interface PoolRequestPayload {
  _id: RequestId;
  token: string;
  type: PoolType;
  /** Required for guild pools, absent for `user` and `guild`. */
  guild_id?: Snowflake;
  /** Snowflakes; setting keys for `settingValue`. */
  ids: Snowflake[];
}

/** `pool_search_request`: ranked member search, answered by one `pool_response`. */
export interface PoolSearchRequestPayload {
  _id: RequestId;
  token: string;
  type: "member";
  guild_id: Snowflake;
  /** At most 100 characters; empty finds nothing. */
  query: string;
  /** 1–100, default 20 */
  limit?: number;
}

// ---------- server → client ----------

/** Answer to `request_elevation`. */
export interface RequestElevationReturnPayload {
  _id: RequestId;
  /** Whether the socket is now elevated. */
  success: boolean;
  /** `<SID>_auth` on success. */
  room?: string;
  user_id?: Snowflake;
  /** The token's `exp` (seconds since epoch). */
  expires_at?: number;
}

/** Answer to `drop_elevation` (always a success). */
export interface DropElevationReturnPayload {
  _id: RequestId;
  success: true;
}

/**
 * What the mock bot does in answer to one interpreted message, by LogAction number as archit.us
 * sends it: 3001 send, 3002 edit, 72 delete, 3100 react, 3101 unreact.
 */
export type KnownInterpretAction =
  | { action: 3001; message_id: Snowflake; content: string }
  | { action: 3002; message_id: Snowflake; content: string }
  | { action: 72; message_id: Snowflake }
  | { action: 3100; message_id: Snowflake; emoji: string }
  | { action: 3101; message_id: Snowflake; emoji: string; targets_user?: boolean };

/** An action of a number this client does not know: passed through untouched. */
export interface UnknownInterpretAction {
  action: number;
  [field: string]: unknown;
}

export type InterpretAction = KnownInterpretAction | UnknownInterpretAction;

/** Answer to `interpret` (what `GatewayClient.interpret` resolves with). */
export interface InterpretReturnPayload {
  _id: RequestId;
  /** The mock guild of the message. */
  guild_id: Snowflake;
  /** What the bot does, in order. */
  actions: InterpretAction[];
}

/** Answer to `spectate`; the replayed frames follow it, then live events. */
export interface SpectateReturnPayload {
  _id: RequestId;
  success: boolean;
  /** The guild now spectated, or null. */
  guild_id: Snowflake | null;
  /** Whether log rooms were joined (false when not asked for or not permitted). */
  include_logs: boolean;
  /** Latest seq of the guild's pool topic (0 when none yet or not spectating). */
  pool_seq: Seq;
  /** Latest seq of the guild's logs topic. */
  logs_seq: Seq;
  /** Events replayed after this frame (-1: the gap is too old, refetch pools). */
  replayed: number;
  /** Extension 1: the batching window the gateway uses for this socket (absent: single frames). */
  batch_ms?: number;
  /** Extension 2: echoed `true` when presence frames were joined (absent: unsupported). */
  include_presence?: boolean;
  /** Extension 2: latest seq of the guild's presence topic (0 when none yet, or no guild). */
  presence_seq?: Seq;
}

/** Answer to a pool request: one frame, or for `pool_all_request` chunks (the last `finished`). */
export interface PoolResponsePayload<T extends PoolType = PoolType> {
  _id: RequestId;
  type: T;
  guild_id?: Snowflake;
  /** The entities of this frame. */
  data: PoolEntities[T][];
  /** Ids asked for that do not exist (guild ids outside the token too). */
  nonexistent: Snowflake[];
  /** The last frame of the answer. */
  finished: boolean;
  /** The pool's size, on every frame of a `pool_all_request` answer. */
  total?: number;
  /** Extension 2: echoed on every frame of a filtered `pool_all_request` answer. */
  filter?: MemberFilter;
  /** Extension 2: with `filter`, the presence seq the snapshot reflects (later frames apply on top). */
  presence_seq?: Seq;
}

/** What a pushed update does to a pool entity. */
export type PoolUpdateOp = "add" | "update" | "remove";

/** One pushed change of a pool entity, within `log_pool`. */
export interface PoolUpdate<T extends PoolType = PoolType> {
  type: T;
  op: PoolUpdateOp;
  id: Snowflake;
  /** The whole entity for add/update; absent for remove. */
  entity?: Entity;
}

/** `log_pool`: a log entry of the spectated guild and the pool changes it makes (every spectator). */
export interface LogPoolPayload {
  guild_id: Snowflake;
  /** The guild's pool-topic seq. */
  seq: Seq;
  /** The entry; reduced to its public fields when the socket may not see its details. */
  action: LogAction;
  updates: PoolUpdate[];
}

/** `log_other`: any other log entry of the spectated guild, sent only when logs were joined. */
export interface LogOtherPayload {
  guild_id: Snowflake;
  /** The guild's logs-topic seq (gaps: private entries this socket may not see). */
  seq: Seq;
  action: LogAction;
}

/**
 * `log_batch` (Extension 1): pushes of the spectated guild gathered for up to `batch_ms`, each
 * entry exactly the payload its single frame would have had; each array in seq order, at most
 * 1,000 entries, the frame within the payload cap. Never empty.
 */
export interface LogBatchPayload {
  guild_id: Snowflake;
  pool: LogPoolPayload[];
  logs: LogOtherPayload[];
}

/** One member's new presence, within `log_presence` (Extension 2). */
export interface PresenceUpdate {
  /** The member's id. */
  id: Snowflake;
  /** Its status now (the latest, when it changed several times since the last frame). */
  status: PresenceStatus;
  /** The whole member (its `status` included) when it came online from offline, else absent. */
  member?: Member;
}

/**
 * `log_presence` (Extension 2): presence changes of the spectated guild, to sockets that asked
 * `include_presence`. Coalesced by the gateway (at most one flush a second per guild); at most
 * 1,000 updates, within the 64 KiB payload cap; never part of a `log_batch`.
 */
export interface LogPresencePayload {
  guild_id: Snowflake;
  /** The guild's presence-topic seq. */
  seq: Seq;
  updates: PresenceUpdate[];
}

/** `error`: a request failed; the socket stays up. */
export interface ErrorPayload {
  /** The failed request's `_id`, when its payload had a valid one. */
  _id?: RequestId;
  code: GatewayErrorCode;
  message: string;
  /** A message meant for people, when the gateway gives one. */
  human?: string;
  /** More about the failure, e.g. `{issues}` for a payload that failed validation. */
  details?: unknown;
}

/** `session_expired`: the token ran out; the socket is no longer elevated and left its guild rooms. */
export interface SessionExpiredPayload {
  /** Why, e.g. `token expired`. */
  reason: string;
}

import type { Entity, PoolEntities, PoolType } from "./entities";
import type { GatewayErrorCode } from "./errors";
import type { RequestId, Seq, Snowflake } from "./ids";
import type { LogAction } from "./logAction";

// ---------- client → server ----------

export interface RequestElevationPayload {
  _id: RequestId;
  token: string;
}

export interface DropElevationPayload {
  _id: RequestId;
}

/** A reaction added or removed on a mock message. */
export interface MockReaction {
  message_id: Snowflake;
  emoji: string;
}

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

export interface SpectatePayload {
  _id: RequestId;
  token: string;
  guild_id: Snowflake | null;
  include_logs: boolean;
  since?: { pool?: Seq; logs?: Seq };
}

export interface PoolAllRequestPayload {
  _id: RequestId;
  token: string;
  type: PoolType;
  guild_id?: Snowflake;
}

export interface PoolRequestPayload {
  _id: RequestId;
  token: string;
  type: PoolType;
  guild_id?: Snowflake;
  ids: Snowflake[];
}

export interface PoolSearchRequestPayload {
  _id: RequestId;
  token: string;
  type: "member";
  guild_id: Snowflake;
  query: string;
  /** 1–100, default 20 */
  limit?: number;
}

// ---------- server → client ----------

export interface RequestElevationReturnPayload {
  _id: RequestId;
  success: boolean;
  /** `<SID>_auth` on success. */
  room?: string;
  user_id?: Snowflake;
  /** The token's `exp` (seconds since epoch). */
  expires_at?: number;
}

export interface DropElevationReturnPayload {
  _id: RequestId;
  success: true;
}

/** What the mock bot does in answer to one interpreted message. */
export type InterpretAction =
  | { action: "send"; message_id: Snowflake; content: string }
  | { action: "edit"; message_id: Snowflake; content: string }
  | { action: "delete"; message_id: Snowflake }
  | { action: "react"; message_id: Snowflake; emoji: string }
  | { action: "unreact"; message_id: Snowflake; emoji: string };

export interface InterpretReturnPayload {
  _id: RequestId;
  guild_id: Snowflake;
  actions: InterpretAction[];
}

export interface SpectateReturnPayload {
  _id: RequestId;
  success: boolean;
  guild_id: Snowflake | null;
  /** Whether log rooms were joined (false when not asked for or not permitted). */
  include_logs: boolean;
  /** Latest seq of the guild's pool topic (0 when none yet or not spectating). */
  pool_seq: Seq;
  /** Latest seq of the guild's logs topic. */
  logs_seq: Seq;
  /** Events replayed after this frame (-1: the gap is too old, refetch pools). */
  replayed: number;
}

export interface PoolResponsePayload<T extends PoolType = PoolType> {
  _id: RequestId;
  type: T;
  guild_id?: Snowflake;
  data: PoolEntities[T][];
  nonexistent: Snowflake[];
  finished: boolean;
  total?: number;
}

export type PoolUpdateOp = "add" | "update" | "remove";

export interface PoolUpdate<T extends PoolType = PoolType> {
  type: T;
  op: PoolUpdateOp;
  id: Snowflake;
  /** The whole entity for add/update; absent for remove. */
  entity?: Entity;
}

export interface LogPoolPayload {
  guild_id: Snowflake;
  seq: Seq;
  action: LogAction;
  updates: PoolUpdate[];
}

export interface LogOtherPayload {
  guild_id: Snowflake;
  seq: Seq;
  action: LogAction;
}

export interface ErrorPayload {
  _id?: RequestId;
  code: GatewayErrorCode;
  message: string;
  human?: string;
  details?: unknown;
}

export interface SessionExpiredPayload {
  reason: string;
}

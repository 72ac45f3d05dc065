import * as v from "valibot";
import { POOL_TYPES, type PoolType, type ServerPayloads } from "../protocol";
import { count, gatewayErrorCode, int, requestId, seq, snowflake } from "./common";
import { entitySchemas, logActionSchema, memberSchema, presenceStatus } from "./entities";

const poolResponseOf = <T extends PoolType>(type: T) =>
  v.object({
    _id: requestId,
    type: v.literal(type),
    guild_id: v.optional(snowflake),
    data: v.array(entitySchemas[type]),
    nonexistent: v.array(v.string()),
    finished: v.boolean(),
    total: v.optional(count),
    filter: v.optional(v.literal("online")),
    presence_seq: v.optional(seq),
  });

const poolUpdateOf = <T extends PoolType>(type: T) =>
  v.object({
    type: v.literal(type),
    op: v.picklist(["add", "update", "remove"]),
    id: v.pipe(v.string(), v.minLength(1)),
    entity: v.optional(entitySchemas[type]),
  });

/** One `log_pool` update: of a known pool type, its entity matching its op and id. */
export const poolUpdate = v.pipe(
  v.variant(
    "type",
    POOL_TYPES.map((t) => poolUpdateOf(t)),
  ),
  v.check(
    (u) => (u.op === "remove" ? u.entity === undefined : u.entity?.id === u.id),
    "add/update carry the entity with the same id; remove carries none",
  ),
);

export const seqAfterZero = v.pipe(seq, v.minValue(1));

const logPool = v.object({
  guild_id: snowflake,
  seq: seqAfterZero,
  action: logActionSchema,
  updates: v.array(poolUpdate),
}) as v.GenericSchema<ServerPayloads["log_pool"]>;
const logOther = v.object({ guild_id: snowflake, seq: seqAfterZero, action: logActionSchema });

/** One update of a `log_presence` (Extension 2): the member, when given, is the one it names. */
export const presenceUpdate = v.pipe(
  v.object({ id: snowflake, status: presenceStatus, member: v.optional(memberSchema) }),
  v.check(
    (u) => u.member === undefined || (u.member.id === u.id && u.member.status === u.status),
    "member must be the member named, with the update's status",
  ),
);

/** Most updates of one `log_presence` frame. */
export const MAX_PRESENCE_UPDATES = 1000;

/** The interpret actions this client knows, by LogAction number (archit.us's own encoding). */
export const knownInterpretActions = {
  3001: v.object({ action: v.literal(3001), message_id: snowflake, content: v.string() }),
  3002: v.object({ action: v.literal(3002), message_id: snowflake, content: v.string() }),
  72: v.object({ action: v.literal(72), message_id: snowflake }),
  3100: v.object({ action: v.literal(3100), message_id: snowflake, emoji: v.string() }),
  3101: v.object({
    action: v.literal(3101),
    message_id: snowflake,
    emoji: v.string(),
    targets_user: v.optional(v.boolean()),
  }),
};

/** Any action: a known one of its shape, or another number (passed through). */
export const interpretAction = v.union([
  ...Object.values(knownInterpretActions),
  v.pipe(
    v.looseObject({ action: int }),
    v.check((a) => !(a.action in knownInterpretActions), "a known action of the wrong shape"),
  ),
]);

/** `request_elevation_return` (each schema is its own export: the worker takes only the ones it uses). */
export const requestElevationReturn = v.object({
  _id: requestId,
  success: v.boolean(),
  room: v.optional(v.string()),
  user_id: v.optional(snowflake),
  expires_at: v.optional(v.pipe(int, v.minValue(1))),
});
export const dropElevationReturn = v.object({ _id: requestId, success: v.literal(true) });
export const spectateReturn = v.object({
  _id: requestId,
  success: v.boolean(),
  guild_id: v.nullable(snowflake),
  include_logs: v.boolean(),
  pool_seq: seq,
  logs_seq: seq,
  replayed: v.pipe(int, v.minValue(-1)),
  batch_ms: v.optional(v.pipe(int, v.minValue(1), v.maxValue(100))),
  include_presence: v.optional(v.boolean()),
  presence_seq: v.optional(seq),
});
export const errorPayload = v.object({
  _id: v.optional(requestId),
  code: gatewayErrorCode,
  message: v.string(),
  human: v.optional(v.string()),
  details: v.optional(v.unknown()),
});
export const sessionExpired = v.object({ reason: v.string() });
export { logOther };

/** Validators of every server → client payload (after JSON parsing). */
export const serverPayloadSchemas: { [E in keyof ServerPayloads]: v.GenericSchema<ServerPayloads[E]> } = {
  request_elevation_return: requestElevationReturn,
  drop_elevation_return: dropElevationReturn,
  interpret_return: v.object({ _id: requestId, guild_id: snowflake, actions: v.array(interpretAction) }),
  spectate_return: spectateReturn,
  pool_response: v.variant(
    "type",
    /* @__PURE__ */ POOL_TYPES.map((t) => poolResponseOf(t)),
  ) as v.GenericSchema<ServerPayloads["pool_response"]>,
  log_pool: logPool,
  log_other: logOther,
  log_batch: v.object({
    guild_id: snowflake,
    pool: v.pipe(v.array(logPool), v.maxLength(1000)),
    logs: v.pipe(v.array(logOther), v.maxLength(1000)),
  }),
  log_presence: v.object({
    guild_id: snowflake,
    seq: seqAfterZero,
    updates: v.pipe(v.array(presenceUpdate), v.maxLength(MAX_PRESENCE_UPDATES)),
  }),
  error: errorPayload,
  session_expired: sessionExpired,
};

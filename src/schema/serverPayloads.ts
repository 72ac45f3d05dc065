import * as z from "zod/mini";
import { POOL_TYPES, type PoolType, type ServerPayloads } from "../protocol";
import { gatewayErrorCode, requestId, seq, snowflake } from "./common";
import { entitySchemas, logActionSchema } from "./entities";

const poolResponseOf = <T extends PoolType>(type: T) =>
  z.object({
    _id: requestId,
    type: z.literal(type),
    guild_id: z.optional(snowflake),
    data: z.array(entitySchemas[type]),
    nonexistent: z.array(z.string()),
    finished: z.boolean(),
    total: z.optional(z.number().check(z.int(), z.nonnegative())),
  });

const poolUpdateOf = <T extends PoolType>(type: T) =>
  z
    .object({
      type: z.literal(type),
      op: z.enum(["add", "update", "remove"]),
      id: z.string().check(z.minLength(1)),
      entity: z.optional(entitySchemas[type]),
    })
    .check(
      z.refine((u) => (u.op === "remove" ? u.entity === undefined : u.entity?.id === u.id), {
        message: "add/update carry the entity with the same id; remove carries none",
      }),
    );

const allTypes = POOL_TYPES;
const [firstType, ...otherTypes] = allTypes;

const interpretAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("send"), message_id: snowflake, content: z.string() }),
  z.object({ action: z.literal("edit"), message_id: snowflake, content: z.string() }),
  z.object({ action: z.literal("delete"), message_id: snowflake }),
  z.object({ action: z.literal("react"), message_id: snowflake, emoji: z.string() }),
  z.object({ action: z.literal("unreact"), message_id: snowflake, emoji: z.string() }),
]);

/** Validators of every server → client payload (after JSON parsing). */
export const serverPayloadSchemas: { [E in keyof ServerPayloads]: z.ZodMiniType<ServerPayloads[E]> } = {
  request_elevation_return: z.object({
    _id: requestId,
    success: z.boolean(),
    room: z.optional(z.string()),
    user_id: z.optional(snowflake),
    expires_at: z.optional(z.number().check(z.int(), z.positive())),
  }),
  drop_elevation_return: z.object({ _id: requestId, success: z.literal(true) }),
  interpret_return: z.object({ _id: requestId, guild_id: snowflake, actions: z.array(interpretAction) }),
  spectate_return: z.object({
    _id: requestId,
    success: z.boolean(),
    guild_id: z.nullable(snowflake),
    include_logs: z.boolean(),
    pool_seq: seq,
    logs_seq: seq,
    replayed: z.number().check(z.int(), z.minimum(-1)),
  }),
  pool_response: z.union([
    poolResponseOf(firstType ?? "member"),
    ...otherTypes.map((t) => poolResponseOf(t)),
  ]) as z.ZodMiniType<ServerPayloads["pool_response"]>,
  log_pool: z.object({
    guild_id: snowflake,
    seq: seq.check(z.minimum(1)),
    action: logActionSchema,
    updates: z.array(z.union(allTypes.map((t) => poolUpdateOf(t)))),
  }) as z.ZodMiniType<ServerPayloads["log_pool"]>,
  log_other: z.object({ guild_id: snowflake, seq: seq.check(z.minimum(1)), action: logActionSchema }),
  error: z.object({
    _id: z.optional(requestId),
    code: gatewayErrorCode,
    message: z.string(),
    human: z.optional(z.string()),
    details: z.optional(z.unknown()),
  }),
  session_expired: z.object({ reason: z.string() }),
};

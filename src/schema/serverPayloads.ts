import { z } from "zod";
import type { PoolType, ServerPayloads } from "../protocol";
import { gatewayErrorCode, poolType, requestId, seq, snowflake } from "./common";
import { entitySchemas, logActionSchema } from "./entities";

const poolResponseOf = <T extends PoolType>(type: T) =>
  z.object({
    _id: requestId,
    type: z.literal(type),
    guild_id: snowflake.optional(),
    data: z.array(entitySchemas[type]),
    nonexistent: z.array(z.string()),
    finished: z.boolean(),
    total: z.number().int().nonnegative().optional(),
  });

const poolUpdateOf = <T extends PoolType>(type: T) =>
  z
    .object({
      type: z.literal(type),
      op: z.enum(["add", "update", "remove"]),
      id: z.string().min(1),
      entity: entitySchemas[type].optional(),
    })
    .refine((u) => (u.op === "remove" ? u.entity === undefined : u.entity?.id === u.id), {
      message: "add/update carry the entity with the same id; remove carries none",
    });

const allTypes = poolType.options;
const [firstType, ...otherTypes] = allTypes;

const interpretAction = z.discriminatedUnion("action", [
  z.object({ action: z.literal("send"), message_id: snowflake, content: z.string() }),
  z.object({ action: z.literal("edit"), message_id: snowflake, content: z.string() }),
  z.object({ action: z.literal("delete"), message_id: snowflake }),
  z.object({ action: z.literal("react"), message_id: snowflake, emoji: z.string() }),
  z.object({ action: z.literal("unreact"), message_id: snowflake, emoji: z.string() }),
]);

/** Validators of every server → client payload (after JSON parsing). */
export const serverPayloadSchemas: { [E in keyof ServerPayloads]: z.ZodType<ServerPayloads[E]> } = {
  request_elevation_return: z.object({
    _id: requestId,
    success: z.boolean(),
    room: z.string().optional(),
    user_id: snowflake.optional(),
    expires_at: z.number().int().positive().optional(),
  }),
  drop_elevation_return: z.object({ _id: requestId, success: z.literal(true) }),
  interpret_return: z.object({ _id: requestId, guild_id: snowflake, actions: z.array(interpretAction) }),
  spectate_return: z.object({
    _id: requestId,
    success: z.boolean(),
    guild_id: snowflake.nullable(),
    include_logs: z.boolean(),
    pool_seq: seq,
    logs_seq: seq,
    replayed: z.number().int().min(-1),
  }),
  pool_response: z.union([
    poolResponseOf(firstType ?? "member"),
    ...otherTypes.map((t) => poolResponseOf(t)),
  ]) as z.ZodType<ServerPayloads["pool_response"]>,
  log_pool: z.object({
    guild_id: snowflake,
    seq: seq.min(1),
    action: logActionSchema,
    updates: z.array(z.union(allTypes.map((t) => poolUpdateOf(t)))),
  }) as z.ZodType<ServerPayloads["log_pool"]>,
  log_other: z.object({ guild_id: snowflake, seq: seq.min(1), action: logActionSchema }),
  error: z.object({
    _id: requestId.optional(),
    code: gatewayErrorCode,
    message: z.string(),
    human: z.string().optional(),
    details: z.unknown().optional(),
  }),
  session_expired: z.object({ reason: z.string() }),
};

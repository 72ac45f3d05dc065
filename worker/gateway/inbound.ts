import * as v from "valibot";
import { POOL_TYPES, type PoolType } from "../../src/protocol";
import { count, requestId, snowflake } from "../../src/schema/common";
import { entitySchemas, logActionSchema } from "../../src/schema/entities";
import {
  MAX_PRESENCE_UPDATES,
  dropElevationReturn,
  errorPayload,
  interpretAction,
  logOther,
  poolUpdate,
  presenceUpdate,
  requestElevationReturn,
  seqAfterZero,
  sessionExpired,
  spectateReturn,
} from "../../src/schema/serverPayloads";

/**
 * What the worker accepts from a gateway. As the contract (`serverPayloadSchemas`, whose schemas
 * it takes one by one, so the worker carries none it does not use), except that
 * the items of a pool chunk, of a `log_pool`, of a `log_presence` and of an `interpret_return` are
 * checked one by one
 * (`keepValid`): one malformed entity, update or action is dropped and counted, and never spoils
 * the rest of its frame, nor its pool.
 */
export const inboundSchemas = {
  request_elevation_return: requestElevationReturn,
  drop_elevation_return: dropElevationReturn,
  spectate_return: spectateReturn,
  log_other: logOther,
  error: errorPayload,
  session_expired: sessionExpired,
  pool_response: v.object({
    _id: requestId,
    type: v.picklist(POOL_TYPES),
    guild_id: v.optional(snowflake),
    data: v.array(v.unknown()),
    nonexistent: v.array(v.string()),
    finished: v.boolean(),
    total: v.optional(count),
    filter: v.optional(v.literal("online")),
    presence_seq: v.optional(count),
  }),
  log_pool: v.object({
    guild_id: snowflake,
    seq: seqAfterZero,
    action: logActionSchema,
    updates: v.array(v.unknown()),
  }),
  interpret_return: v.object({ _id: requestId, guild_id: snowflake, actions: v.array(v.unknown()) }),
  log_presence: v.object({
    guild_id: snowflake,
    seq: seqAfterZero,
    updates: v.pipe(v.array(v.unknown()), v.maxLength(MAX_PRESENCE_UPDATES)),
  }),
  // Entries are checked one by one (routeFrame), as if each had come in its own frame.
  log_batch: v.object({
    guild_id: snowflake,
    pool: v.pipe(v.array(v.unknown()), v.maxLength(1000)),
    logs: v.pipe(v.array(v.unknown()), v.maxLength(1000)),
  }),
} as const;

/** A `log_batch` whose entries are not checked yet. */
export type LogBatchFrame = v.InferOutput<(typeof inboundSchemas)["log_batch"]>;

/** The items that pass `schema`, as they came (extra fields kept), and how many did not. */
export function keepValid(items: unknown[], schema: v.GenericSchema): { kept: unknown[]; dropped: number } {
  const kept = items.filter((item) => v.is(schema, item));
  return { kept, dropped: items.length - kept.length };
}

export const itemSchemas = {
  entity: (type: PoolType): v.GenericSchema => entitySchemas[type],
  update: poolUpdate as v.GenericSchema,
  presence: presenceUpdate as v.GenericSchema,
  action: interpretAction as v.GenericSchema,
};

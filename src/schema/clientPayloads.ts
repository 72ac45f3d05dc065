import * as z from "zod/mini";
import type { ClientPayloads } from "../protocol";
import { SETTING_KEY, SNOWFLAKE, guildPoolType, poolType, requestId, seq, snowflake, token } from "./common";
import { interpretSchema } from "./interpret";

const requireGuildScope = (
  value: { type: z.infer<typeof poolType>; guild_id?: string | undefined },
  ctx: z.core.$RefinementCtx,
) => {
  const guildScoped = guildPoolType.safeParse(value.type).success;
  if (guildScoped && value.guild_id === undefined)
    ctx.addIssue({ code: "custom", path: ["guild_id"], message: `pool "${value.type}" needs guild_id` });
  if (!guildScoped && value.guild_id !== undefined)
    ctx.addIssue({
      code: "custom",
      path: ["guild_id"],
      message: `pool "${value.type}" is not guild-specific: no guild_id`,
    });
};

/** Validators of every client → server payload (after JSON parsing). */
export const clientPayloadSchemas: { [E in keyof ClientPayloads]: z.ZodMiniType<ClientPayloads[E]> } = {
  request_elevation: z.object({ _id: requestId, token }),
  drop_elevation: z.object({ _id: requestId }),
  interpret: interpretSchema,
  spectate: z.object({
    _id: requestId,
    token,
    guild_id: z.nullable(snowflake),
    include_logs: z.boolean(),
    since: z.optional(z.object({ pool: z.optional(seq), logs: z.optional(seq) })),
  }),
  pool_all_request: z
    .object({ _id: requestId, token, type: poolType, guild_id: z.optional(snowflake) })
    .check(
      z.superRefine((value, ctx) => {
        requireGuildScope(value, ctx);
        if (value.type === "user")
          ctx.addIssue({ code: "custom", path: ["type"], message: 'pool "user" has no pool_all_request' });
      }),
    ),
  pool_request: z
    .object({
      _id: requestId,
      token,
      type: poolType,
      guild_id: z.optional(snowflake),
      ids: z.array(z.string()),
    })
    .check(
      z.superRefine((value, ctx) => {
        requireGuildScope(value, ctx);
        // settingValue ids are setting keys; every other pool is keyed by snowflake.
        const [pattern, rule] =
          value.type === "settingValue"
            ? [SETTING_KEY, "a setting key"]
            : [SNOWFLAKE, "a string of 1–20 digits"];
        const bad = value.ids.findIndex((id) => !pattern.test(id));
        if (bad >= 0) ctx.addIssue({ code: "custom", path: ["ids", bad], message: `must be ${rule}` });
      }),
    ),
  pool_search_request: z.object({
    _id: requestId,
    token,
    type: z.literal("member"),
    guild_id: snowflake,
    query: z.string().check(z.maxLength(100)),
    limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(100))),
  }),
};

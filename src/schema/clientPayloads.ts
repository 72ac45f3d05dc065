import { z } from "zod";
import type { ClientPayloads } from "../protocol";
import { SETTING_KEY, SNOWFLAKE, guildPoolType, poolType, requestId, seq, snowflake, token } from "./common";

/** Mock guilds of the front-page bot have ids below this. */
export const MOCK_GUILD_LIMIT = 10_000_000;
/** Longest message the mock bot interprets. */
export const MAX_INTERPRET_CONTENT = 2000;

// Refinements run even when the regex already failed: guard before BigInt().
const isDigits = (id: string) => SNOWFLAKE.test(id);

const mockReaction = z.object({ message_id: snowflake, emoji: z.string().min(1).max(64) });

const requireGuildScope = (
  value: { type: z.infer<typeof poolType>; guild_id?: string | undefined },
  ctx: z.RefinementCtx,
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
export const clientPayloadSchemas: { [E in keyof ClientPayloads]: z.ZodType<ClientPayloads[E]> } = {
  request_elevation: z.object({ _id: requestId, token }),
  drop_elevation: z.object({ _id: requestId }),
  interpret: z.object({
    _id: requestId,
    guild_id: snowflake.refine((id) => isDigits(id) && BigInt(id) < BigInt(MOCK_GUILD_LIMIT), {
      message: `mock guild ids are below ${MOCK_GUILD_LIMIT}`,
    }),
    message_id: snowflake.refine((id) => isDigits(id) && BigInt(id) % 2n === 0n, {
      message: "user message ids are even",
    }),
    content: z.string().max(MAX_INTERPRET_CONTENT),
    added_reactions: z.array(mockReaction).max(100).optional(),
    removed_reactions: z.array(mockReaction).max(100).optional(),
    allowed_commands: z.array(z.string().min(1).max(32)).max(100).optional(),
  }),
  spectate: z.object({
    _id: requestId,
    token,
    guild_id: snowflake.nullable(),
    include_logs: z.boolean(),
    since: z.object({ pool: seq.optional(), logs: seq.optional() }).optional(),
  }),
  pool_all_request: z
    .object({ _id: requestId, token, type: poolType, guild_id: snowflake.optional() })
    .superRefine((value, ctx) => {
      requireGuildScope(value, ctx);
      if (value.type === "user")
        ctx.addIssue({ code: "custom", path: ["type"], message: 'pool "user" has no pool_all_request' });
    }),
  pool_request: z
    .object({
      _id: requestId,
      token,
      type: poolType,
      guild_id: snowflake.optional(),
      ids: z.array(z.string()),
    })
    .superRefine((value, ctx) => {
      requireGuildScope(value, ctx);
      // settingValue ids are setting keys; every other pool is keyed by snowflake.
      const [pattern, rule] =
        value.type === "settingValue"
          ? [SETTING_KEY, "a setting key"]
          : [SNOWFLAKE, "a string of 1–20 digits"];
      const bad = value.ids.findIndex((id) => !pattern.test(id));
      if (bad >= 0) ctx.addIssue({ code: "custom", path: ["ids", bad], message: `must be ${rule}` });
    }),
  pool_search_request: z.object({
    _id: requestId,
    token,
    type: z.literal("member"),
    guild_id: snowflake,
    query: z.string().max(100),
    limit: z.number().int().min(1).max(100).optional(),
  }),
};

import * as v from "valibot";
import { GUILD_POOL_TYPES, type ClientPayloads } from "../protocol";
import { SETTING_KEY, SNOWFLAKE, int, notArray, poolType, requestId, seq, snowflake, token } from "./common";
import { interpretSchema } from "./interpret";

type AddIssue = (info: { message: string; path: [v.IssuePathItem, ...v.IssuePathItem[]] }) => void;
type PoolScoped = { type: v.InferOutput<typeof poolType>; guild_id?: string | undefined };

/** Adds an issue at `value[key]` (and `value[key][index]` when given) of a checked object. */
const issueAt = (
  addIssue: AddIssue,
  value: Record<string, unknown>,
  key: string,
  message: string,
  index?: number,
) => {
  const item = value[key];
  const path: [v.IssuePathItem, ...v.IssuePathItem[]] = [
    { type: "object", origin: "value", input: value, key, value: item },
  ];
  if (index !== undefined && Array.isArray(item))
    path.push({ type: "array", origin: "value", input: item, key: index, value: item[index] });
  addIssue({ message, path });
};

const requireGuildScope = (value: PoolScoped, addIssue: AddIssue) => {
  const guildScoped = (GUILD_POOL_TYPES as readonly string[]).includes(value.type);
  if (guildScoped && value.guild_id === undefined)
    issueAt(addIssue, value, "guild_id", `pool "${value.type}" needs guild_id`);
  if (!guildScoped && value.guild_id !== undefined)
    issueAt(addIssue, value, "guild_id", `pool "${value.type}" is not guild-specific: no guild_id`);
};

/** Extension 2's `filter` belongs to `pool_all_request` only: anywhere else it is a 400. */
const noFilter = v.optional(v.never("filter is taken by pool_all_request only"));

/** Validators of every client → server payload (after JSON parsing). */
export const clientPayloadSchemas: { [E in keyof ClientPayloads]: v.GenericSchema<ClientPayloads[E]> } = {
  request_elevation: v.object({ _id: requestId, token }),
  drop_elevation: v.object({ _id: requestId }),
  interpret: interpretSchema,
  spectate: v.object({
    _id: requestId,
    token,
    guild_id: v.nullable(snowflake),
    include_logs: v.boolean(),
    since: v.optional(
      notArray(v.object({ pool: v.optional(seq), logs: v.optional(seq), presence: v.optional(seq) })),
    ),
    batch_ms: v.optional(v.pipe(int, v.minValue(0), v.maxValue(100))),
    include_presence: v.optional(v.boolean()),
  }),
  pool_all_request: v.pipe(
    v.object({
      _id: requestId,
      token,
      type: poolType,
      guild_id: v.optional(snowflake),
      filter: v.optional(v.literal("online", 'filter must be "online"')),
    }),
    // The raw checks run once every field has its type (a string failing its regex still counts:
    // zod's refinements ran then too); they only add the cross-field issues.
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const value = dataset.value;
      requireGuildScope(value, addIssue);
      if (value.type === "user") issueAt(addIssue, value, "type", 'pool "user" has no pool_all_request');
      if (value.filter !== undefined && value.type !== "member")
        issueAt(addIssue, value, "filter", "only member pools take a filter");
    }),
  ),
  pool_request: v.pipe(
    v.object({
      _id: requestId,
      token,
      type: poolType,
      guild_id: v.optional(snowflake),
      ids: v.array(v.string()),
      filter: noFilter,
    }),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const value = dataset.value;
      requireGuildScope(value, addIssue);
      // settingValue ids are setting keys; every other pool is keyed by snowflake.
      const [pattern, rule] =
        value.type === "settingValue"
          ? [SETTING_KEY, "a setting key"]
          : [SNOWFLAKE, "a string of 1–20 digits"];
      const bad = value.ids.findIndex((id) => !pattern.test(id));
      if (bad >= 0) issueAt(addIssue, value, "ids", `must be ${rule}`, bad);
    }),
  ),
  pool_search_request: v.object({
    _id: requestId,
    token,
    type: v.literal("member"),
    guild_id: snowflake,
    query: v.pipe(v.string(), v.maxCodePoints(100)),
    limit: v.optional(v.pipe(int, v.minValue(1), v.maxValue(100))),
    filter: noFilter,
  }),
};

import * as v from "valibot";
import { PRESENCE_STATUSES } from "../protocol";
import type {
  AutoResponse,
  Channel,
  CustomEmoji,
  Guild,
  LogAction,
  Member,
  PoolEntities,
  PoolType,
  Role,
  SettingValue,
  User,
} from "../protocol";
import { SETTING_KEY, count, finite, int, isPlainObject, objectThat, snowflake } from "./common";

const timestamp = count;

/** An ISO 8601 date and time, as archit.us sends `joined_at` (any form `Date.parse` reads). */
const isoDate = v.pipe(
  v.string(),
  v.maxLength(64),
  v.check((s) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s)), "must be an ISO 8601 date"),
);
/** An object of any content (a plain one, like zod's `record(string(), unknown())`). */
const jsonObject = objectThat(isPlainObject, v.record(v.string(), v.unknown()));

/** A presence status (PROTOCOL.md Extension 2). */
export const presenceStatus = v.picklist(PRESENCE_STATUSES);

export const memberSchema: v.GenericSchema<Member> = v.object({
  id: snowflake,
  name: v.string(),
  nick: v.nullable(v.string()),
  avatar: v.nullable(v.string()),
  discriminator: v.string(),
  roles: v.array(snowflake),
  color: v.nullable(v.string()),
  joined_at: isoDate,
  status: v.optional(presenceStatus),
});

export const channelSchema: v.GenericSchema<Channel> = v.object({
  id: snowflake,
  name: v.string(),
  type: int,
  position: int,
  parent_id: v.nullish(snowflake),
});

export const roleSchema: v.GenericSchema<Role> = v.object({
  id: snowflake,
  name: v.string(),
  color: v.nullable(v.string()),
  position: int,
  hoist: v.boolean(),
  managed: v.boolean(),
  mentionable: v.boolean(),
  permissions: v.pipe(v.string(), v.regex(/^[0-9]+$/)),
});

export const customEmojiSchema: v.GenericSchema<CustomEmoji> = v.object({
  id: snowflake,
  name: v.string(),
  author_id: v.nullable(snowflake),
  num_uses: count,
  priority: finite,
  url: v.string(),
});

export const autoResponseSchema: v.GenericSchema<AutoResponse> = v.object({
  id: snowflake,
  trigger: v.string(),
  response: v.string(),
  author_id: v.nullable(snowflake),
  mode: v.picklist(["naive", "regex", "punctuated"]),
  count: count,
});

export const settingValueSchema: v.GenericSchema<SettingValue> = v.object({
  id: v.pipe(v.string(), v.regex(SETTING_KEY, "must be a setting key")),
  value: v.union([v.string(), finite, v.boolean(), v.null()]),
});

export const userSchema: v.GenericSchema<User> = v.object({
  id: snowflake,
  username: v.string(),
  avatar: v.nullable(v.string()),
  discriminator: v.string(),
});

export const guildSchema: v.GenericSchema<Guild> = v.object({
  id: snowflake,
  name: v.string(),
  icon: v.nullable(v.string()),
  owner: v.boolean(),
  has_architus: v.boolean(),
  architus_admin: v.boolean(),
  permissions: count,
  member_count: count,
});

/** The entity schema of each pool type. */
export const entitySchemas: { [T in PoolType]: v.GenericSchema<PoolEntities[T]> } = {
  member: memberSchema,
  channel: channelSchema,
  role: roleSchema,
  customEmoji: customEmojiSchema,
  autoResponse: autoResponseSchema,
  settingValue: settingValueSchema,
  user: userSchema,
  guild: guildSchema,
};

export const logActionSchema: v.GenericSchema<LogAction> = v.object({
  id: snowflake,
  action_number: count,
  timestamp,
  guild_id: snowflake,
  agent_id: v.nullish(snowflake),
  subject_id: v.nullish(snowflake),
  channel_id: v.nullish(snowflake),
  private: v.boolean(),
  reversible: v.boolean(),
  content: v.nullish(v.string()),
  old_data: v.nullish(jsonObject),
  data: v.nullish(jsonObject),
});

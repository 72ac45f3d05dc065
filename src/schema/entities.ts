import * as z from "zod/mini";
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
import { SETTING_KEY, snowflake } from "./common";

const timestamp = z.number().check(z.int(), z.nonnegative());

export const memberSchema: z.ZodMiniType<Member> = z.object({
  id: snowflake,
  name: z.string(),
  nick: z.nullable(z.string()),
  avatar: z.nullable(z.string()),
  discriminator: z.string(),
  roles: z.array(snowflake),
  color: z.nullable(z.string()),
  joined_at: timestamp,
});

export const channelSchema: z.ZodMiniType<Channel> = z.object({
  id: snowflake,
  name: z.string(),
  type: z.number().check(z.int()),
  position: z.number().check(z.int()),
  parent_id: z.optional(z.nullable(snowflake)),
});

export const roleSchema: z.ZodMiniType<Role> = z.object({
  id: snowflake,
  name: z.string(),
  color: z.nullable(z.string()),
  position: z.number().check(z.int()),
  hoist: z.boolean(),
  managed: z.boolean(),
  mentionable: z.boolean(),
  permissions: z.string().check(z.regex(/^[0-9]+$/)),
});

export const customEmojiSchema: z.ZodMiniType<CustomEmoji> = z.object({
  id: snowflake,
  name: z.string(),
  author_id: z.nullable(snowflake),
  num_uses: z.number().check(z.int(), z.nonnegative()),
  priority: z.number(),
  url: z.string(),
});

export const autoResponseSchema: z.ZodMiniType<AutoResponse> = z.object({
  id: snowflake,
  trigger: z.string(),
  response: z.string(),
  author_id: z.nullable(snowflake),
  mode: z.enum(["naive", "regex", "punctuated"]),
  count: z.number().check(z.int(), z.nonnegative()),
});

export const settingValueSchema: z.ZodMiniType<SettingValue> = z.object({
  id: z.string().check(z.regex(SETTING_KEY, "must be a setting key")),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

export const userSchema: z.ZodMiniType<User> = z.object({
  id: snowflake,
  username: z.string(),
  avatar: z.nullable(z.string()),
  discriminator: z.string(),
});

export const guildSchema: z.ZodMiniType<Guild> = z.object({
  id: snowflake,
  name: z.string(),
  icon: z.nullable(z.string()),
  owner: z.boolean(),
  has_architus: z.boolean(),
  architus_admin: z.boolean(),
  permissions: z.number().check(z.int(), z.nonnegative()),
  member_count: z.number().check(z.int(), z.nonnegative()),
});

/** The entity schema of each pool type. */
export const entitySchemas: { [T in PoolType]: z.ZodMiniType<PoolEntities[T]> } = {
  member: memberSchema,
  channel: channelSchema,
  role: roleSchema,
  customEmoji: customEmojiSchema,
  autoResponse: autoResponseSchema,
  settingValue: settingValueSchema,
  user: userSchema,
  guild: guildSchema,
};

export const logActionSchema: z.ZodMiniType<LogAction> = z.object({
  id: snowflake,
  action_number: z.number().check(z.int(), z.nonnegative()),
  timestamp,
  guild_id: snowflake,
  agent_id: z.optional(z.nullable(snowflake)),
  subject_id: z.optional(z.nullable(snowflake)),
  channel_id: z.optional(z.nullable(snowflake)),
  private: z.boolean(),
  reversible: z.boolean(),
  content: z.optional(z.nullable(z.string())),
  old_data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  data: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});

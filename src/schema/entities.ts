import { z } from "zod";
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

const timestamp = z.number().int().nonnegative();

export const memberSchema: z.ZodType<Member> = z.object({
  id: snowflake,
  name: z.string(),
  nick: z.string().nullable(),
  avatar: z.string().nullable(),
  discriminator: z.string(),
  roles: z.array(snowflake),
  color: z.string().nullable(),
  joined_at: timestamp,
});

export const channelSchema: z.ZodType<Channel> = z.object({
  id: snowflake,
  name: z.string(),
  type: z.number().int(),
  position: z.number().int(),
  parent_id: snowflake.nullable().optional(),
});

export const roleSchema: z.ZodType<Role> = z.object({
  id: snowflake,
  name: z.string(),
  color: z.string().nullable(),
  position: z.number().int(),
  hoist: z.boolean(),
  managed: z.boolean(),
  mentionable: z.boolean(),
  permissions: z.string().regex(/^[0-9]+$/),
});

export const customEmojiSchema: z.ZodType<CustomEmoji> = z.object({
  id: snowflake,
  name: z.string(),
  author_id: snowflake.nullable(),
  num_uses: z.number().int().nonnegative(),
  priority: z.number(),
  url: z.string(),
});

export const autoResponseSchema: z.ZodType<AutoResponse> = z.object({
  id: snowflake,
  trigger: z.string(),
  response: z.string(),
  author_id: snowflake.nullable(),
  mode: z.enum(["naive", "regex", "punctuated"]),
  count: z.number().int().nonnegative(),
});

export const settingValueSchema: z.ZodType<SettingValue> = z.object({
  id: z.string().regex(SETTING_KEY, "must be a setting key"),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

export const userSchema: z.ZodType<User> = z.object({
  id: snowflake,
  username: z.string(),
  avatar: z.string().nullable(),
  discriminator: z.string(),
});

export const guildSchema: z.ZodType<Guild> = z.object({
  id: snowflake,
  name: z.string(),
  icon: z.string().nullable(),
  owner: z.boolean(),
  has_architus: z.boolean(),
  architus_admin: z.boolean(),
  permissions: z.number().int().nonnegative(),
  member_count: z.number().int().nonnegative(),
});

/** The entity schema of each pool type. */
export const entitySchemas: { [T in PoolType]: z.ZodType<PoolEntities[T]> } = {
  member: memberSchema,
  channel: channelSchema,
  role: roleSchema,
  customEmoji: customEmojiSchema,
  autoResponse: autoResponseSchema,
  settingValue: settingValueSchema,
  user: userSchema,
  guild: guildSchema,
};

export const logActionSchema: z.ZodType<LogAction> = z.object({
  id: snowflake,
  action_number: z.number().int().nonnegative(),
  timestamp,
  guild_id: snowflake,
  agent_id: snowflake.nullable().optional(),
  subject_id: snowflake.nullable().optional(),
  channel_id: snowflake.nullable().optional(),
  private: z.boolean(),
  reversible: z.boolean(),
  content: z.string().nullable().optional(),
  old_data: z.record(z.string(), z.unknown()).nullable().optional(),
  data: z.record(z.string(), z.unknown()).nullable().optional(),
});

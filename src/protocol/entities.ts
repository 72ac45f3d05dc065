import type { Snowflake } from "./ids";

export interface Member {
  id: Snowflake;
  name: string;
  nick: string | null;
  avatar: string | null;
  discriminator: string;
  roles: Snowflake[];
  color: string | null;
  /** ms since epoch */
  joined_at: number;
}

/** Discord channel types used by the dataset: 0 text, 2 voice, 4 category, 5 news. */
export interface Channel {
  id: Snowflake;
  name: string;
  type: number;
  position: number;
  parent_id?: Snowflake | null;
}

export interface Role {
  id: Snowflake;
  name: string;
  color: string | null;
  position: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  /** Discord permission bitfield as a decimal string (it exceeds 2^53). */
  permissions: string;
}

export interface CustomEmoji {
  id: Snowflake;
  name: string;
  author_id: Snowflake | null;
  num_uses: number;
  priority: number;
  url: string;
}

export type AutoResponseMode = "naive" | "regex" | "punctuated";

export interface AutoResponse {
  id: Snowflake;
  trigger: string;
  response: string;
  author_id: Snowflake | null;
  mode: AutoResponseMode;
  count: number;
}

/** A guild setting; `id` is the setting key. */
export interface SettingValue {
  id: string;
  value: string | number | boolean | null;
}

export interface User {
  id: Snowflake;
  username: string;
  avatar: string | null;
  discriminator: string;
}

/** A guild as seen by the requesting user (permissions and architus_admin are theirs). */
export interface Guild {
  id: Snowflake;
  name: string;
  icon: string | null;
  owner: boolean;
  has_architus: boolean;
  architus_admin: boolean;
  /** The requesting user's architus permission bitfield in this guild. */
  permissions: number;
  member_count: number;
}

/** Entity type of each pool. */
export interface PoolEntities {
  member: Member;
  channel: Channel;
  role: Role;
  customEmoji: CustomEmoji;
  autoResponse: AutoResponse;
  settingValue: SettingValue;
  user: User;
  guild: Guild;
}

export type PoolType = keyof PoolEntities;
export type Entity = PoolEntities[PoolType];

/** Pools whose entities belong to one guild: requests need `guild_id`. */
export const GUILD_POOL_TYPES = [
  "member",
  "channel",
  "role",
  "customEmoji",
  "autoResponse",
  "settingValue",
] as const;
/** Pools that are not scoped by guild. */
export const AGNOSTIC_POOL_TYPES = ["user", "guild"] as const;
export const POOL_TYPES = [...GUILD_POOL_TYPES, ...AGNOSTIC_POOL_TYPES] as const;

export type GuildPoolType = (typeof GUILD_POOL_TYPES)[number];
export type AgnosticPoolType = (typeof AGNOSTIC_POOL_TYPES)[number];

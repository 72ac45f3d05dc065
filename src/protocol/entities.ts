import type { Snowflake } from "./ids";

/**
 * A member's Discord presence (PROTOCOL.md Extension 2). Online means any status but `offline`.
 */
export type PresenceStatus = "online" | "idle" | "dnd" | "offline";

/** Every presence status; the first three are "online". */
export const PRESENCE_STATUSES = ["online", "idle", "dnd", "offline"] as const;

/** A guild member (`member` pool): the user's id, name and avatar, and what the guild gives them. */
export interface Member {
  /** The user's id. */
  id: Snowflake;
  /** The user's name. */
  name: string;
  /** The nickname in this guild, if any. */
  nick: string | null;
  /** Discord avatar hash, or null for the default avatar. */
  avatar: string | null;
  discriminator: string;
  /** Ids of the roles the member holds. */
  roles: Snowflake[];
  /** Display colour (`#rrggbb`) of the member's highest coloured role, or null. */
  color: string | null;
  /** When the member joined the guild: an ISO 8601 string, as archit.us sends it. */
  joined_at: string;
  /**
   * Presence (PROTOCOL.md Extension 2), given by a gateway with the extension on every member it
   * sends; absent where the gateway has no presence: unknown, not offline.
   */
  status?: PresenceStatus;
}

/** Discord channel types used by the dataset: 0 text, 2 voice, 4 category, 5 news. */
export interface Channel {
  id: Snowflake;
  name: string;
  type: number;
  position: number;
  /** The category the channel sits in, if any. */
  parent_id?: Snowflake | null;
}

/** A Discord role of a guild (`role` pool). */
export interface Role {
  id: Snowflake;
  name: string;
  /** `#rrggbb`, or null for none. */
  color: string | null;
  position: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  /** Discord permission bitfield as a decimal string (it exceeds 2^53). */
  permissions: string;
}

/** A custom emoji of a guild (`customEmoji` pool). */
export interface CustomEmoji {
  id: Snowflake;
  name: string;
  /** Who added it, if known. */
  author_id: Snowflake | null;
  /** How often it was used. */
  num_uses: number;
  priority: number;
  /** The emoji's image. */
  url: string;
}

/**
 * How an auto response's trigger matches: `naive` (case-insensitive substring), `punctuated`
 * (whole word or phrase, ignoring punctuation and case) or `regex`.
 */
export type AutoResponseMode = "naive" | "regex" | "punctuated";

/** An auto response of a guild (`autoResponse` pool): the bot answers `trigger` with `response`. */
export interface AutoResponse {
  id: Snowflake;
  trigger: string;
  response: string;
  /** Who created it, if known. */
  author_id: Snowflake | null;
  mode: AutoResponseMode;
  /** How often it was triggered. */
  count: number;
}

/** A guild setting; `id` is the setting key. */
export interface SettingValue {
  id: string;
  value: string | number | boolean | null;
}

/** A Discord user (`user` pool: fetched by id only, never whole). */
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

/** Name of a pool (see {@link POOL_TYPES}). */
export type PoolType = keyof PoolEntities;
/** An entity of any pool. */
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
/** Every pool type: the guild pools, then the agnostic ones. */
export const POOL_TYPES = [...GUILD_POOL_TYPES, ...AGNOSTIC_POOL_TYPES] as const;

/** A pool scoped by guild (needs a guild id). */
export type GuildPoolType = (typeof GUILD_POOL_TYPES)[number];
/** A pool not scoped by guild (takes no guild id). */
export type AgnosticPoolType = (typeof AGNOSTIC_POOL_TYPES)[number];

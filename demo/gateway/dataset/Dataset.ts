import type {
  AutoResponse,
  Channel,
  CustomEmoji,
  Member,
  Role,
  SettingValue,
  Snowflake,
  User,
} from "../../../src/protocol";
import type { GuildPresence } from "./guildPresence";

/** A scripted demo account: what its JWT will claim. */
export interface DemoUser {
  id: Snowflake;
  name: string;
  /** Architus staff (global administrator). */
  admin: boolean;
  /** Global architus permission bitfield. */
  permissions: number;
  /** Guild id → architus permission bitfield in that guild. */
  guilds: Record<Snowflake, number>;
}

/** The guild-scoped pools of one guild, keyed by entity id (setting key for `settingValue`). */
export interface GuildPools {
  member: Map<Snowflake, Member>;
  channel: Map<Snowflake, Channel>;
  role: Map<Snowflake, Role>;
  customEmoji: Map<Snowflake, CustomEmoji>;
  autoResponse: Map<Snowflake, AutoResponse>;
  settingValue: Map<string, SettingValue>;
}

/** One guild of the demo dataset with all of its pools. */
export interface GuildRecord {
  id: Snowflake;
  name: string;
  icon: string | null;
  owner_id: Snowflake;
  pools: GuildPools;
  /**
   * Presence of its members as published (PROTOCOL.md Extension 2): what the latest presence
   * seq of the guild says; pending changes the producer has not flushed yet are not in it.
   */
  presence: GuildPresence;
}

/** Everything the demo gateway serves. */
export interface Dataset {
  guilds: Map<Snowflake, GuildRecord>;
  /** Every member of every guild (and every demo user) as a guild-agnostic user. */
  users: Map<Snowflake, User>;
  demoUsers: DemoUser[];
  /** ids of channels that are private (messages there are private log entries) */
  privateChannels: Set<Snowflake>;
}

import type { Snowflake } from "./ids";

/** Archit.us log action numbers (modules/logs). Below 3000 they mirror Discord's audit log. */
export const LogActionNumber = {
  GUILD_UPDATE: 1,
  CHANNEL_CREATE: 10,
  CHANNEL_UPDATE: 11,
  CHANNEL_DELETE: 12,
  CHANNEL_OVERWRITE_CREATE: 13,
  CHANNEL_OVERWRITE_UPDATE: 14,
  CHANNEL_OVERWRITE_DELETE: 15,
  MEMBER_KICK: 20,
  MEMBER_PRUNE: 21,
  MEMBER_BAN_ADD: 22,
  MEMBER_BAN_REMOVE: 23,
  MEMBER_UPDATE: 24,
  MEMBER_ROLE_UPDATE: 25,
  ROLE_CREATE: 30,
  ROLE_UPDATE: 31,
  ROLE_DELETE: 32,
  INVITE_CREATE: 40,
  INVITE_UPDATE: 41,
  INVITE_DELETE: 42,
  WEBHOOK_CREATE: 50,
  WEBHOOK_UPDATE: 51,
  WEBHOOK_DELETE: 52,
  EMOJI_CREATE: 60,
  EMOJI_UPDATE: 61,
  EMOJI_DELETE: 62,
  MESSAGE_DELETE_DISCORD: 72,
  MESSAGE_SEND: 3001,
  MESSAGE_EDIT: 3002,
  MESSAGE_DELETE: 3003,
  REACTION_ADD: 3100,
  REACTION_REMOVE: 3101,
  AUTO_RESPONSE_ADD: 3200,
  AUTO_RESPONSE_REMOVE: 3201,
  AUTO_RESPONSE_EDIT: 3202,
  AUTO_RESPONSE_TRIGGER: 3203,
  LOG_REVERT: 3300,
  LOG_ROLLBACK: 3301,
  EMOJI_MANAGER_TOGGLE: 3400,
  EMOJI_MANAGER_CACHE: 3401,
  EMOJI_MANAGER_LOAD: 3402,
  EMOJI_MANAGER_UNLOAD: 3403,
} as const;

/** One entry of a guild's log. */
export interface LogAction {
  id: Snowflake;
  /** What happened: a {@link LogActionNumber}. */
  action_number: number;
  /** ms since epoch */
  timestamp: number;
  guild_id: Snowflake;
  /** Who did it. */
  agent_id?: Snowflake | null;
  /** Whom or what it was done to. */
  subject_id?: Snowflake | null;
  /** Where it happened. */
  channel_id?: Snowflake | null;
  /** Only VIEW_PRIVATE_LOGS holders see the details of a private entry. */
  private: boolean;
  /** Whether it can be reverted. */
  reversible: boolean;
  /** Text of the entry (e.g. a message's content). */
  content?: string | null;
  /** The changed fields before the action. */
  old_data?: Record<string, unknown> | null;
  /** The changed fields after the action (for a setting change, the setting). */
  data?: Record<string, unknown> | null;
}

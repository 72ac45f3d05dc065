/**
 * The gateway wire protocol (shared/PROTOCOL.md, version 1): events, payloads, entities,
 * error codes and permission bits. Everything else imports this module; it imports nothing.
 */
export type { Snowflake, RequestId, Seq } from "./ids";
export { PROTOCOL_VERSION } from "./version";
export { Permission, DEFAULT_GUILD_PERMISSIONS, ALL_PERMISSIONS } from "./permissions";
export type { PermissionName } from "./permissions";
export type { GatewayErrorCode } from "./errors";
export { GATEWAY_ERROR_CODES } from "./errors";
export type {
  Member,
  Channel,
  Role,
  CustomEmoji,
  AutoResponse,
  AutoResponseMode,
  SettingValue,
  User,
  Guild,
  PoolEntities,
  PoolType,
  Entity,
  GuildPoolType,
  AgnosticPoolType,
  PresenceStatus,
} from "./entities";
export { POOL_TYPES, GUILD_POOL_TYPES, AGNOSTIC_POOL_TYPES, PRESENCE_STATUSES } from "./entities";
export type { LogAction } from "./logAction";
export { LogActionNumber } from "./logAction";
export type { TokenClaims } from "./claims";
export type * from "./payloads";
export type {
  Json,
  ClientPayloads,
  ServerPayloads,
  ClientEventName,
  ServerEventName,
  EventMap,
  ClientToServerEvents,
  ServerToClientEvents,
  AuthenticatedEventName,
} from "./events";
export { AUTHENTICATED_EVENT_NAMES, CLIENT_EVENT_NAMES, SERVER_EVENT_NAMES } from "./events";

import { ALL_PERMISSIONS, Permission, type TokenClaims } from "../../src/protocol";

/** Whether the token lets its user into `guildId` at all. */
export function canAccessGuild(claims: TokenClaims, guildId: string): boolean {
  return claims.admin === true || Object.hasOwn(claims.guilds, guildId);
}

/**
 * The user's architus permissions in a guild: the global bitfield plus the guild's;
 * ADMINISTRATOR (or architus staff) grants every bit.
 */
export function guildPermissions(claims: TokenClaims, guildId: string): number {
  if (claims.admin === true) return ALL_PERMISSIONS;
  const perms =
    claims.permissions | (Object.hasOwn(claims.guilds, guildId) ? (claims.guilds[guildId] ?? 0) : 0);
  return perms & Permission.ADMINISTRATOR ? ALL_PERMISSIONS : perms;
}

export function hasPermission(perms: number, bit: number): boolean {
  return (perms & bit) === bit;
}

/** What a socket may see of a spectated guild's streams. */
export interface GuildView {
  logs: boolean;
  privateLogs: boolean;
  settings: boolean;
}

export function guildView(claims: TokenClaims, guildId: string): GuildView {
  const perms = guildPermissions(claims, guildId);
  return {
    logs: hasPermission(perms, Permission.VIEW_PUBLIC_LOGS),
    privateLogs: hasPermission(perms, Permission.VIEW_PRIVATE_LOGS),
    settings: hasPermission(perms, Permission.VIEW_SETTINGS),
  };
}

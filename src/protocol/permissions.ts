/** Architus permission bits (PROTOCOL.md "Permissions"). ADMINISTRATOR grants all. */
export const Permission = {
  ADMINISTRATOR: 0x1,
  VIEW_PUBLIC_LOGS: 0x2,
  VIEW_PRIVATE_LOGS: 0x4,
  REVERT_LOG_ACTIONS: 0x8,
  ADD_AUTO_RESPONSE: 0x10,
  IGNORE_AUTO_RESPONSE_QUOTA: 0x20,
  EDIT_ANY_AUTO_RESPONSE: 0x40,
  DELETE_ANY_AUTO_RESPONSE: 0x80,
  VIEW_SETTINGS: 0x100,
  MANAGE_SETTINGS: 0x200,
  EXEC_PURGE_CMD: 0x400,
} as const;

/** Name of a {@link Permission} bit. */
export type PermissionName = keyof typeof Permission;

/** Permissions a new guild grants by default: VIEW_PUBLIC_LOGS | ADD_AUTO_RESPONSE | VIEW_SETTINGS. */
export const DEFAULT_GUILD_PERMISSIONS = 0x112;

/** Every defined bit set. */
export const ALL_PERMISSIONS = 0x7ff;

import type { Role, Snowflake } from "../../../src/protocol";

/**
 * A member's display colour: the colour of the highest-positioned role it holds that has
 * one, or null.
 */
export function memberColor(
  roleIds: readonly Snowflake[],
  roles: ReadonlyMap<Snowflake, Role>,
): string | null {
  let best: Role | undefined;
  for (const id of roleIds) {
    const role = roles.get(id);
    if (role?.color != null && (best === undefined || role.position > best.position)) best = role;
  }
  return best?.color ?? null;
}

import { LogActionNumber, type Member, type PoolUpdate, type Snowflake } from "../../../src/protocol";
import { copyOf, makeLogAction, type ChangeContext } from "./changeContext";
import { makeRole } from "./makeRole";
import { memberColor } from "./memberColor";
import type { PoolEvent } from "./poolEvent";
import { ROLE_NAMES } from "./vocabulary";

/** A guild gets no more roles than this from the activity generator. */
export const MAX_ROLES = 60;
/** Roles held by more members than this are never deleted (one event stays small enough). */
export const MAX_ROLE_DELETE_MEMBERS = 1000;

/** ROLE_CREATE (30, private): a new, unheld role on top; null when the guild has too many. */
export function createRole(ctx: ChangeContext): PoolEvent | null {
  const pool = ctx.guild.pools.role;
  if (pool.size >= MAX_ROLES) return null;
  const used = new Set<string>();
  let top = 0;
  for (const role of pool.values()) {
    used.add(role.name);
    top = Math.max(top, role.position);
  }
  const fresh = ROLE_NAMES.filter((n) => !used.has(n));
  const name = fresh.length > 0 ? ctx.rng.pick(fresh) : `New Role ${pool.size}`;
  const role = makeRole(ctx.rng, ctx.rng.snowflake(), name, top + 1);
  pool.set(role.id, role);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.ROLE_CREATE,
    subject_id: role.id,
    private: true,
    reversible: false,
    old_data: null,
    data: { name: role.name, color: role.color, permissions: role.permissions },
  });
  return { action, updates: [{ type: "role", op: "add", id: role.id, entity: copyOf(role) }] };
}

/**
 * ROLE_DELETE (32, private): deletes a role held by at most {@link MAX_ROLE_DELETE_MEMBERS}
 * members (never @everyone nor a managed role) and takes it off those members, each of whom
 * gets an `update`. Null when no role qualifies.
 */
export function deleteRole(ctx: ChangeContext): PoolEvent | null {
  const { role: roles, member: members } = ctx.guild.pools;
  const holders = new Map<Snowflake, number>();
  for (const member of members.values()) {
    for (const id of member.roles) holders.set(id, (holders.get(id) ?? 0) + 1);
  }
  const candidates = [...roles.values()].filter(
    (r) => r.id !== ctx.guild.id && !r.managed && (holders.get(r.id) ?? 0) <= MAX_ROLE_DELETE_MEMBERS,
  );
  if (candidates.length === 0) return null;
  const role = ctx.rng.pick(candidates);
  roles.delete(role.id);
  const updates: PoolUpdate[] = [{ type: "role", op: "remove", id: role.id }];
  if ((holders.get(role.id) ?? 0) > 0) {
    for (const member of members.values()) {
      if (!member.roles.includes(role.id)) continue;
      const remaining = member.roles.filter((id) => id !== role.id);
      const next: Member = { ...member, roles: remaining, color: memberColor(remaining, roles) };
      members.set(next.id, next);
      updates.push({ type: "member", op: "update", id: next.id, entity: copyOf(next) });
    }
  }
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.ROLE_DELETE,
    subject_id: role.id,
    private: true,
    reversible: false,
    old_data: { name: role.name, color: role.color, permissions: role.permissions },
    data: { members_affected: updates.length - 1 },
  });
  return { action, updates };
}

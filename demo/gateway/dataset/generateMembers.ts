import type { Member, Role, Snowflake, User } from "../../../src/protocol";
import type { GeneratedRoles } from "./generateRoles";
import { memberColor } from "./memberColor";
import type { Random } from "./random";
import { randomNick } from "./randomName";

const MINUTE = 60_000;
const THREE_YEARS = 3 * 365 * 24 * 60 * MINUTE;

/** Who becomes a member, and what is decided for them in advance. */
export interface MemberSeed {
  user: User;
  /** Names of roles the member holds for sure (e.g. a demo admin's "Admin" role). */
  roleNames?: readonly string[];
  /** A scripted demo account: keeps its plain name (no nickname) and never owns the guild. */
  demo?: boolean;
}

/**
 * One Member per seed, in order: name and avatar from the user, a nickname for about 30 %,
 * roles drawn by each role's hold chance (never @everyone, which is implicit), the colour
 * of the highest coloured role, and a `joined_at` between three years and a minute before `now`.
 */
export function generateMembers(
  rng: Random,
  seeds: readonly MemberSeed[],
  generated: GeneratedRoles,
  now: number,
): Map<Snowflake, Member> {
  const rolesById = new Map<Snowflake, Role>(generated.roles.map((r) => [r.id, r]));
  const chances = generated.roles
    .filter((r) => generated.holdChance.has(r.id))
    .map((r) => ({ id: r.id, name: r.name, chance: generated.holdChance.get(r.id) ?? 0 }));
  const members = new Map<Snowflake, Member>();
  for (const seed of seeds) {
    const { user } = seed;
    const roles: Snowflake[] = [];
    for (const { id, name, chance } of chances) {
      if (rng.next() < chance || seed.roleNames?.includes(name)) roles.push(id);
    }
    const nick = !seed.demo && rng.chance(0.3) ? randomNick(rng, user.username) : null;
    members.set(user.id, {
      id: user.id,
      name: user.username,
      nick,
      avatar: user.avatar,
      discriminator: user.discriminator,
      roles,
      color: memberColor(roles, rolesById),
      joined_at: new Date(now - rng.int(MINUTE, THREE_YEARS)).toISOString(),
    });
  }
  return members;
}

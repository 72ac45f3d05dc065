import type { Role, Snowflake } from "../../../src/protocol";
import { makeRole } from "./makeRole";
import { shuffled, type Random } from "./random";
import { ROLE_NAMES } from "./vocabulary";

/** The roles of one guild and how likely a member holds each. */
export interface GeneratedRoles {
  /** Sorted by position, @everyone (id = guild id, position 0) first. */
  roles: Role[];
  /** Role id → probability that a generated member holds it (@everyone absent: implicit). */
  holdChance: Map<Snowflake, number>;
}

const COMMON_ROLES: ReadonlySet<string> = new Set(["Member", "Verified", "Regular"]);
const RARE_ROLES: Readonly<Record<string, number>> = { Admin: 0.001, Moderator: 0.004, Bot: 0.0005 };

/**
 * `count` (≥ 3) roles: "@everyone" (id = guild id, position 0), "Member", "Admin" (the
 * highest), and others. Common roles are held by about half the members, most others by
 * 0.3 %–9 % of them, so big guilds have both widely and rarely held roles.
 */
export function generateRoles(rng: Random, guildId: Snowflake, count: number): GeneratedRoles {
  const total = Math.max(3, Math.min(count, ROLE_NAMES.length + 1));
  const others = shuffled(
    rng,
    ROLE_NAMES.filter((n) => n !== "Admin" && n !== "Member"),
  ).slice(0, total - 3);
  const names = ["Member", ...others, "Admin"];
  const everyone: Role = {
    id: guildId,
    name: "@everyone",
    color: null,
    position: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    permissions: "104324673",
  };
  const roles: Role[] = [everyone];
  const holdChance = new Map<Snowflake, number>();
  names.forEach((name, i) => {
    const role = makeRole(rng, rng.snowflake(), name, i + 1);
    roles.push(role);
    const chance = COMMON_ROLES.has(name) ? 0.5 : (RARE_ROLES[name] ?? 0.003 * Math.pow(30, rng.next()));
    holdChance.set(role.id, chance);
  });
  return { roles, holdChance };
}

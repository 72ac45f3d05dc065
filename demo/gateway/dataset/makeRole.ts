import type { Role, Snowflake } from "../../../src/protocol";
import type { Random } from "./random";
import { randomColor, randomDiscordPermissions } from "./randomFields";
import { MANAGED_ROLE_NAMES } from "./vocabulary";

/** A role as the dataset generates it. */
export function makeRole(rng: Random, id: Snowflake, name: string, position: number): Role {
  return {
    id,
    name,
    color: rng.chance(0.7) ? randomColor(rng) : null,
    position,
    hoist: rng.chance(0.3),
    managed: MANAGED_ROLE_NAMES.has(name),
    mentionable: rng.chance(0.4),
    permissions: randomDiscordPermissions(rng),
  };
}

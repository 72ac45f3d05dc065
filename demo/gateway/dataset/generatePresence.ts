import type { Snowflake } from "../../../src/protocol";
import { GuildPresence, randomOnlineStatus } from "./guildPresence";
import type { Random } from "./random";

/** A presence where about `share` of `memberIds` are online (idle and dnd among them). */
export function generatePresence(rng: Random, memberIds: readonly Snowflake[], share: number): GuildPresence {
  const presence = new GuildPresence();
  for (const id of memberIds) if (rng.chance(share)) presence.set(id, randomOnlineStatus(rng));
  return presence;
}

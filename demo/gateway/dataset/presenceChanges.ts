import type { PresenceStatus, Snowflake } from "../../../src/protocol";
import type { GuildRecord } from "./Dataset";
import { randomOnlineStatus } from "./guildPresence";
import type { Random } from "./random";
import { randomKey } from "./randomKey";

/** A member's presence the producer decided: `status` differs from what `statusOf` said. */
export interface PresenceChange {
  id: Snowflake;
  status: PresenceStatus;
}

const ONLINE_STATUSES = ["online", "idle", "dnd"] as const;

/**
 * One random presence change of `guild`, against `statusOf` (the producer's latest view, its
 * pending changes included): a quarter of the time someone online goes offline, a quarter
 * someone offline comes online, half the time someone online changes status, so the online
 * share holds steady. Null when nothing could be changed in a few tries (an empty guild).
 */
export function randomPresenceChange(
  guild: GuildRecord,
  rng: Random,
  statusOf: (id: Snowflake) => PresenceStatus,
): PresenceChange | null {
  for (let attempt = 0; attempt < 8; attempt++) {
    const roll = rng.next();
    const someoneOnline = roll < 0.25 || roll >= 0.5 ? guild.presence.randomOnline(rng) : undefined;
    if (someoneOnline !== undefined) {
      const current = statusOf(someoneOnline);
      if (current === "offline") continue;
      if (roll < 0.25) return { id: someoneOnline, status: "offline" };
      const others = ONLINE_STATUSES.filter((s) => s !== current);
      return { id: someoneOnline, status: rng.pick(others) };
    }
    const id = randomKey(guild.pools.member, rng);
    if (id === undefined) return null;
    if (statusOf(id) === "offline") return { id, status: randomOnlineStatus(rng) };
  }
  return null;
}

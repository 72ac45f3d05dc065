import type { Entity, LogPoolPayload } from "../../src/protocol";
import type { Dataset, GuildPools } from "../gateway/dataset/Dataset";

/**
 * Applies a `log_pool` event the producer published to a node's copy of the dataset (the
 * producer already changed its own): `add`/`update` put the whole entity, `remove` deletes it.
 * Throws on a guild the node does not know or a pool type that is not guild-scoped.
 */
export function applyPoolUpdates(dataset: Dataset, event: LogPoolPayload): void {
  const guild = dataset.guilds.get(event.guild_id);
  if (!guild) throw new RangeError(`log_pool ${event.seq} of unknown guild ${event.guild_id}`);
  for (const update of event.updates) {
    if (!Object.hasOwn(guild.pools, update.type))
      throw new RangeError(`log_pool ${event.seq} updates ${update.type}, not a guild pool`);
    const pool = guild.pools[update.type as keyof GuildPools] as Map<string, Entity>;
    if (update.op === "remove") pool.delete(update.id);
    else if (update.entity) pool.set(update.id, update.entity);
    else throw new RangeError(`log_pool ${event.seq}: ${update.op} of ${update.id} without its entity`);
  }
}

import { LogActionNumber, type LogAction, type Snowflake } from "../../../src/protocol";
import { addAutoResponse, editAutoResponse, removeAutoResponse } from "./autoResponseChanges";
import type { ChangeContext } from "./changeContext";
import { ChannelType } from "./channelType";
import type { Dataset, GuildRecord } from "./Dataset";
import { changeMemberNick, changeSetting, updateChannel } from "./guildChanges";
import type { PoolEvent } from "./poolEvent";
import type { Random } from "./random";
import { randomKey } from "./randomKey";
import { createRole, deleteRole } from "./roleChanges";
import { MESSAGE_WORDS, UNICODE_EMOJI } from "./vocabulary";

/** Any other log entry (`log_other`): messages, reactions. */
export interface OtherEvent {
  action: LogAction;
}

type ChangeMaker = (ctx: ChangeContext, ds: Dataset) => PoolEvent | null;

/** Kinds of pool change and how often each is tried first. */
const CHANGES: readonly { weight: number; make: ChangeMaker }[] = [
  { weight: 5, make: changeMemberNick },
  { weight: 3, make: addAutoResponse },
  { weight: 3, make: editAutoResponse },
  { weight: 2, make: removeAutoResponse },
  { weight: 2, make: (ctx, ds) => updateChannel(ctx, ds.privateChannels) },
  { weight: 2, make: changeSetting },
  { weight: 1, make: createRole },
  { weight: 1, make: deleteRole },
];

function guildOf(ds: Dataset, guildId: Snowflake): GuildRecord {
  const guild = ds.guilds.get(guildId);
  if (guild === undefined) throw new RangeError(`unknown guild ${guildId}`);
  return guild;
}

/** A random member id of `guild` (the owner if the member pool is empty). */
function randomAgent(guild: GuildRecord, rng: Random): Snowflake {
  return randomKey(guild.pools.member, rng) ?? guild.owner_id;
}

/**
 * Makes one random change to the pools of guild `guildId` — an auto response added (3200),
 * edited (3202) or removed (3201), a nickname changed (24), a role created (30) or deleted
 * (32, taking it off its members), a channel renamed or moved (11), a setting changed (1) —
 * applies it to `ds` and describes it. `add`/`update` carry a fresh copy of the whole
 * entity, `remove` only the id. When the drawn kind is impossible another one is tried, so
 * a valid event always comes back. Throws on an unknown guild.
 */
export function makePoolEvent(ds: Dataset, guildId: Snowflake, rng: Random, now: number): PoolEvent {
  const guild = guildOf(ds, guildId);
  const ctx: ChangeContext = { guild, rng, now, agentId: randomAgent(guild, rng) };
  const remaining = [...CHANGES];
  while (remaining.length > 0) {
    let roll = rng.next() * remaining.reduce((sum, c) => sum + c.weight, 0);
    let index = remaining.findIndex((c) => (roll -= c.weight) < 0);
    if (index === -1) index = remaining.length - 1;
    const [change] = remaining.splice(index, 1);
    const event = change?.make(ctx, ds);
    if (event) return event;
  }
  // Unreachable with a generated guild: a nickname change needs only one member.
  throw new Error(`guild ${guildId} has nothing to change`);
}

/** Random words: a message of 3–15 words. */
function randomContent(rng: Random): string {
  const words: string[] = [];
  for (let i = rng.int(3, 15); i > 0; i--) words.push(rng.pick(MESSAGE_WORDS));
  return words.join(" ");
}

/** Text channel ids of a guild, public and private, in pool order, per channel pool (rebuilt when its size changes). */
const textChannelLists = new WeakMap<
  ReadonlyMap<string, unknown>,
  { size: number; lists: [string[], string[]] }
>();

/**
 * The ids of a guild's public (or private) text channels, in pool order: what a message is
 * posted in. Memoised per channel pool (a channel keeps its type and privacy; renames and moves
 * keep its place), rebuilt when the pool's size changed or when `fresh`.
 */
function textChannels(ds: Dataset, guild: GuildRecord, isPrivate: boolean, fresh: boolean): string[] {
  const pool = guild.pools.channel;
  let memo = textChannelLists.get(pool);
  if (fresh || memo === undefined || memo.size !== pool.size) {
    const lists: [string[], string[]] = [[], []];
    for (const c of pool.values())
      if (c.type === ChannelType.TEXT) lists[+ds.privateChannels.has(c.id)]!.push(c.id);
    textChannelLists.set(pool, (memo = { size: pool.size, lists }));
  }
  return memo.lists[+isPrivate]!;
}

/**
 * A MESSAGE_SEND (3001) or, about one time in six, a REACTION_ADD (3100) by a random
 * member in a text channel of guild `guildId`: one of its private channels (and the entry
 * flagged `private`) when `options.private`, else a public one. Does not change `ds`.
 * Throws on an unknown guild or when the guild has no such channel.
 */
export function makeMessageEvent(
  ds: Dataset,
  guildId: Snowflake,
  rng: Random,
  now: number,
  options: { private: boolean },
): OtherEvent {
  const guild = guildOf(ds, guildId);
  let channels = textChannels(ds, guild, options.private, false);
  if (channels.length === 0) {
    throw new Error(`guild ${guildId} has no ${options.private ? "private" : "public"} text channel`);
  }
  const agent_id = randomAgent(guild, rng);
  let channel_id = rng.pick(channels);
  // A channel gone since the list was made (none is, today): drawn again from a fresh list.
  if (!guild.pools.channel.has(channel_id)) {
    channels = textChannels(ds, guild, options.private, true);
    if (channels.length === 0) throw new Error(`guild ${guildId} has no text channel left`);
    channel_id = rng.pick(channels);
  }
  const id = rng.snowflake();
  const base = { id, timestamp: now, guild_id: guild.id, agent_id, channel_id, private: options.private };
  if (rng.chance(1 / 6)) {
    const emoji = [...guild.pools.customEmoji.values()];
    const custom = emoji.length > 0 && rng.chance(0.4) ? rng.pick(emoji) : undefined;
    const reaction = custom ? `<:${custom.name}:${custom.id}>` : rng.pick(UNICODE_EMOJI);
    const message_id = rng.snowflake();
    const action: LogAction = {
      ...base,
      action_number: LogActionNumber.REACTION_ADD,
      subject_id: message_id,
      reversible: false,
      content: reaction,
      data: { message_id, emoji: reaction },
    };
    return { action };
  }
  const message_id = rng.snowflake();
  const action: LogAction = {
    ...base,
    action_number: LogActionNumber.MESSAGE_SEND,
    subject_id: message_id,
    reversible: false,
    content: randomContent(rng),
    data: { message_id },
  };
  return { action };
}

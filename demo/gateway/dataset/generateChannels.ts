import type { Channel, Snowflake } from "../../../src/protocol";
import { ChannelType } from "./channelType";
import { shuffled, type Random } from "./random";
import { CATEGORY_NAMES, PRIVATE_CHANNEL_NAMES, TEXT_CHANNEL_NAMES, VOICE_CHANNEL_NAMES } from "./vocabulary";

/** The channels of one guild and which of them are private. */
export interface GeneratedChannels {
  channels: Channel[];
  privateIds: Snowflake[];
}

/** Draws distinct names from `names`, then numbered variants once they run out. */
function nameSource(rng: Random, names: readonly string[]): () => string {
  const queue = shuffled(rng, names);
  let round = 1;
  let index = 0;
  return () => {
    if (index === queue.length) {
      index = 0;
      round += 1;
    }
    const name = queue[index++] as string;
    return round === 1 ? name : `${name}-${round}`;
  };
}

/**
 * `count` (≥ 5) channels: categories (type 4) holding text (0) and voice (2) channels via
 * `parent_id`, a few top-level channels, always a public "general" and a private
 * "mod-private" text channel (plus, in bigger guilds, maybe other private ones).
 * Positions count from 0 among siblings.
 */
export function generateChannels(rng: Random, count: number): GeneratedChannels {
  const total = Math.max(5, count);
  const categoryCount = Math.min(CATEGORY_NAMES.length, Math.max(1, Math.round(total / 7)));
  const categoryName = nameSource(rng, CATEGORY_NAMES);
  const categories: Channel[] = [];
  for (let i = 0; i < categoryCount; i++) {
    categories.push({ id: rng.snowflake(), name: categoryName(), type: ChannelType.CATEGORY, position: i });
  }

  const textName = nameSource(
    rng,
    TEXT_CHANNEL_NAMES.filter((n) => n !== "general"),
  );
  const voiceName = nameSource(rng, VOICE_CHANNEL_NAMES);
  const extraPrivate = PRIVATE_CHANNEL_NAMES.slice(1);
  const privateIds: Snowflake[] = [];
  const children: Channel[] = [];
  const siblings = new Map<Snowflake | null, number>();

  const add = (name: string, type: number, parent: Snowflake | null, isPrivate: boolean): void => {
    const position = siblings.get(parent) ?? (parent === null ? categoryCount : 0);
    siblings.set(parent, position + 1);
    const channel: Channel = { id: rng.snowflake(), name, type, position, parent_id: parent };
    children.push(channel);
    if (isPrivate) privateIds.push(channel.id);
  };
  const first = categories[0] as Channel;
  const randomParent = (): Snowflake | null => (rng.chance(0.1) ? null : rng.pick(categories).id);

  add("general", ChannelType.TEXT, first.id, false);
  add(PRIVATE_CHANNEL_NAMES[0] as string, ChannelType.TEXT, randomParent(), true);
  for (let i = categoryCount + 2; i < total; i++) {
    const parent = randomParent();
    if (extraPrivate.length > 0 && total >= 15 && rng.chance(0.08)) {
      add(extraPrivate.shift() as string, ChannelType.TEXT, parent, true);
    } else if (rng.chance(0.3)) {
      add(voiceName(), ChannelType.VOICE, parent, false);
    } else {
      add(textName(), ChannelType.TEXT, parent, false);
    }
  }
  return { channels: [...categories, ...children], privateIds };
}

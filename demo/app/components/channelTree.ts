import type { Channel } from "../../../src";

/** Discord's channel types the demo knows (the rest show as text channels). */
export const CATEGORY = 4;
export const VOICE = 2;

/** A category and its channels, in Discord's order; `category` null: the channels outside any. */
export interface ChannelGroup {
  category: Channel | null;
  channels: Channel[];
}

const byPosition = (a: Channel, b: Channel) => a.position - b.position || a.id.localeCompare(b.id);

/**
 * Channels as Discord lists them: first those in no category, then each category (by position)
 * with its channels (by position). A channel whose category is not in the pool goes with those
 * in none; an empty category still shows.
 */
export function channelTree(channels: readonly Channel[]): ChannelGroup[] {
  const categories = channels.filter((c) => c.type === CATEGORY).sort(byPosition);
  const known = new Set(categories.map((c) => c.id));
  const inside = new Map<string, Channel[]>(categories.map((c) => [c.id, []]));
  const loose: Channel[] = [];
  for (const channel of channels) {
    if (channel.type === CATEGORY) continue;
    const parent = channel.parent_id ?? null;
    if (parent !== null && known.has(parent)) inside.get(parent)!.push(channel);
    else loose.push(channel);
  }
  const groups: ChannelGroup[] = [];
  if (loose.length > 0) groups.push({ category: null, channels: loose.sort(byPosition) });
  for (const category of categories)
    groups.push({ category, channels: inside.get(category.id)!.sort(byPosition) });
  return groups;
}

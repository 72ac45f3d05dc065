import type { AutoResponse, CustomEmoji, SettingValue, Snowflake } from "../../../src/protocol";
import type { GuildRecord } from "./Dataset";
import { generateChannels } from "./generateChannels";
import { generateMembers, type MemberSeed } from "./generateMembers";
import { GuildPresence } from "./guildPresence";
import { generateRoles } from "./generateRoles";
import { shuffled, type Random } from "./random";
import { randomHex } from "./randomFields";
import { AUTO_RESPONSE_SEEDS, EMOJI_NAMES } from "./vocabulary";

/** The shape of one generated guild. Counts are clamped to the ranges the dataset promises. */
export interface GuildSpec {
  id: Snowflake;
  name: string;
  /** 5–40 */
  channels: number;
  /** 3–30, including @everyone */
  roles: number;
  /** 0–20 */
  emoji: number;
  /** 3–15 */
  autoResponses: number;
  /** Members in order; the owner is picked among the non-demo ones. */
  members: readonly MemberSeed[];
  hasIcon: boolean;
}

/** A generated guild and the ids of its private channels. */
export interface GeneratedGuild {
  guild: GuildRecord;
  privateChannelIds: Snowflake[];
}

const clamp = (n: number, min: number, max: number): number => Math.min(max, Math.max(min, n));

/** Default settings of every guild. */
export function defaultSettings(): Map<string, SettingValue> {
  const entries: SettingValue[] = [
    { id: "prefix", value: "!" },
    { id: "responses_enabled", value: true },
    { id: "responses_limit", value: 10 },
    { id: "music_enabled", value: false },
    { id: "starboard_threshold", value: 5 },
  ];
  return new Map(entries.map((s) => [s.id, s]));
}

/** Builds one guild with all of its pools from `spec`. */
export function generateGuild(rng: Random, spec: GuildSpec, now: number): GeneratedGuild {
  if (spec.members.length === 0) throw new RangeError(`guild ${spec.name} needs at least one member`);
  const { channels, privateIds } = generateChannels(rng, clamp(spec.channels, 5, 40));
  const roles = generateRoles(rng, spec.id, clamp(spec.roles, 3, 30));
  const members = generateMembers(rng, spec.members, roles, now);
  const memberIds = spec.members.map((m) => m.user.id);
  const ownerCandidates = spec.members.filter((m) => !m.demo).map((m) => m.user.id);
  const owner_id = rng.pick(ownerCandidates.length > 0 ? ownerCandidates : memberIds);

  const emojiNames = shuffled(rng, EMOJI_NAMES).slice(0, clamp(spec.emoji, 0, 20));
  const customEmoji = new Map<Snowflake, CustomEmoji>();
  for (const name of emojiNames) {
    const id = rng.snowflake();
    customEmoji.set(id, {
      id,
      name,
      author_id: rng.pick(memberIds),
      num_uses: rng.int(0, 5000),
      priority: Math.round(rng.next() * 1000) / 1000,
      url: `https://cdn.discordapp.com/emojis/${id}.png`,
    });
  }

  const responseSeeds = shuffled(rng, AUTO_RESPONSE_SEEDS).slice(0, clamp(spec.autoResponses, 3, 15));
  const autoResponse = new Map<Snowflake, AutoResponse>();
  for (const [trigger, response, mode] of responseSeeds) {
    const id = rng.snowflake();
    autoResponse.set(id, {
      id,
      trigger,
      response,
      author_id: rng.pick(memberIds),
      mode,
      count: rng.int(0, 500),
    });
  }

  const guild: GuildRecord = {
    id: spec.id,
    name: spec.name,
    icon: spec.hasIcon ? randomHex(rng, 32) : null,
    owner_id,
    pools: {
      member: members,
      channel: new Map(channels.map((c) => [c.id, c])),
      role: new Map(roles.roles.map((r) => [r.id, r])),
      customEmoji,
      autoResponse,
      settingValue: defaultSettings(),
    },
    // Everyone offline; the dataset draws who is online from a stream of its own.
    presence: new GuildPresence(),
  };
  return { guild, privateChannelIds: privateIds };
}

import { LogActionNumber, type Channel, type Member, type SettingValue } from "../../../src/protocol";
import { copyOf, makeLogAction, type ChangeContext } from "./changeContext";
import { ChannelType } from "./channelType";
import type { PoolEvent } from "./poolEvent";
import type { Random } from "./random";
import { randomKey } from "./randomKey";
import { randomNick } from "./randomName";
import { CATEGORY_NAMES, SETTING_PREFIXES, TEXT_CHANNEL_NAMES, VOICE_CHANNEL_NAMES } from "./vocabulary";

/** MEMBER_UPDATE (24): a member sets, changes or clears its nickname; null without members. */
export function changeMemberNick(ctx: ChangeContext): PoolEvent | null {
  const pool = ctx.guild.pools.member;
  const id = randomKey(pool, ctx.rng);
  const old = id === undefined ? undefined : pool.get(id);
  if (old === undefined) return null;
  let nick: string | null = old.nick !== null && ctx.rng.chance(0.3) ? null : randomNick(ctx.rng, old.name);
  if (nick === old.nick) nick = `${old.name} ${ctx.rng.int(2, 99)}`;
  const entity: Member = { ...old, nick };
  pool.set(entity.id, entity);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.MEMBER_UPDATE,
    subject_id: entity.id,
    private: false,
    reversible: false,
    old_data: { nick: old.nick },
    data: { nick },
  });
  return { action, updates: [{ type: "member", op: "update", id: entity.id, entity: copyOf(entity) }] };
}

/** A different name for a channel of `type`. */
function renameChannel(rng: Random, channel: Channel): string {
  const names =
    channel.type === ChannelType.CATEGORY
      ? CATEGORY_NAMES
      : channel.type === ChannelType.VOICE
        ? VOICE_CHANNEL_NAMES
        : TEXT_CHANNEL_NAMES;
  const others = names.filter((n) => n !== channel.name);
  return others.length > 0 ? rng.pick(others) : `${channel.name}-2`;
}

/**
 * CHANNEL_UPDATE (11): renames a channel or moves it one place. Private channels are only
 * moved, so "mod-private" keeps its name. Null without channels.
 */
export function updateChannel(ctx: ChangeContext, privateChannels: ReadonlySet<string>): PoolEvent | null {
  const pool = ctx.guild.pools.channel;
  const id = randomKey(pool, ctx.rng);
  const old = id === undefined ? undefined : pool.get(id);
  if (old === undefined) return null;
  const move = privateChannels.has(old.id) || ctx.rng.chance(0.4);
  const entity: Channel = move
    ? { ...old, position: old.position === 0 || ctx.rng.chance(0.5) ? old.position + 1 : old.position - 1 }
    : { ...old, name: renameChannel(ctx.rng, old) };
  pool.set(entity.id, entity);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.CHANNEL_UPDATE,
    subject_id: entity.id,
    private: false,
    reversible: false,
    old_data: move ? { position: old.position } : { name: old.name },
    data: move ? { position: entity.position } : { name: entity.name },
  });
  return { action, updates: [{ type: "channel", op: "update", id: entity.id, entity: copyOf(entity) }] };
}

/** A different value for setting `setting`. */
function nextSettingValue(rng: Random, setting: SettingValue): SettingValue["value"] {
  const { id, value } = setting;
  if (typeof value === "boolean") return !value;
  if (id === "prefix") return rng.pick(SETTING_PREFIXES.filter((p) => p !== value));
  if (id === "starboard_threshold") return rng.pick([2, 3, 4, 5, 6, 8, 10].filter((n) => n !== value));
  if (id === "responses_limit") return rng.pick([5, 10, 15, 20, 25, 50].filter((n) => n !== value));
  if (typeof value === "number") return value + rng.int(1, 5);
  if (typeof value === "string") return `${value}${rng.int(0, 9)}`;
  return true;
}

/**
 * A setting change (GUILD_UPDATE 1, private: an administrator change). `subject_id` is the
 * guild (setting keys are not snowflakes); `data`/`old_data` name the setting. Null
 * without settings.
 */
export function changeSetting(ctx: ChangeContext): PoolEvent | null {
  const pool = ctx.guild.pools.settingValue;
  const key = randomKey(pool, ctx.rng);
  const old = key === undefined ? undefined : pool.get(key);
  if (old === undefined) return null;
  const entity: SettingValue = { id: old.id, value: nextSettingValue(ctx.rng, old) };
  pool.set(entity.id, entity);
  const action = makeLogAction(ctx, {
    action_number: LogActionNumber.GUILD_UPDATE,
    subject_id: ctx.guild.id,
    private: true,
    reversible: false,
    old_data: { setting: old.id, value: old.value },
    data: { setting: entity.id, value: entity.value },
  });
  return { action, updates: [{ type: "settingValue", op: "update", id: entity.id, entity: copyOf(entity) }] };
}

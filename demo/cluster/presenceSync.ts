import type { Redis } from "ioredis";
import type { LogPresencePayload, PresenceStatus } from "../../src/protocol";
import { presenceTopic } from "../gateway/broker";
import type { Dataset } from "../gateway/dataset/Dataset";
import { REPLAY_LIMIT, latestSeq, readPresenceState, readSince, type StreamNames } from "./redisHistory";
import { createPerKeyChain } from "./perKeyChain";

/**
 * Keeps one process's copy of the guilds' published presence (PROTOCOL.md Extension 2) equal to
 * the producer's: every presence frame is applied once, in seq order, live or read from history;
 * a copy further behind than history reaches is rebuilt from the generated presence (seq 0, kept
 * from the start) and the guild's presence hash (every change's latest, with the seq it reaches,
 * read in one transaction).
 */
export interface PresenceSync {
  /** A presence frame that arrived live; a gap is filled from history first. */
  live(frame: LogPresencePayload): void;
  /** Brings the guild's copy up to what history holds now. */
  catchUp(guildId: string): Promise<void>;
  /** Seq of the last presence frame the copy reflects. */
  applied(guildId: string): number;
}

export function createPresenceSync(deps: {
  redis: Redis;
  names: StreamNames;
  dataset: Dataset;
  onError: (error: unknown) => void;
}): PresenceSync {
  const { redis, names, dataset } = deps;
  const applied = new Map<string, number>();
  const inOrder = createPerKeyChain();
  /** Each guild's generated presence (seq 0), to rebuild a copy on. */
  const generated = new Map<string, [string, PresenceStatus][]>();
  for (const [id, guild] of dataset.guilds) generated.set(id, [...guild.presence.online()]);

  const apply = (frame: LogPresencePayload): boolean => {
    const last = applied.get(frame.guild_id) ?? 0;
    if (frame.seq <= last) return true;
    if (frame.seq !== last + 1) return false;
    const guild = dataset.guilds.get(frame.guild_id);
    if (!guild) throw new RangeError(`log_presence ${frame.seq} of unknown guild ${frame.guild_id}`);
    for (const update of frame.updates) guild.presence.set(update.id, update.status);
    applied.set(frame.guild_id, frame.seq);
    return true;
  };

  const catchUp = (guildId: string): Promise<void> => {
    const run = async () => {
      const from = applied.get(guildId) ?? 0;
      if ((await latestSeq(redis, names, presenceTopic(guildId))) <= from) return;
      const frames = await readSince(redis, names, presenceTopic(guildId), from, REPLAY_LIMIT);
      if (frames !== null) {
        for (const frame of frames) apply(frame.value as LogPresencePayload);
        return;
      }
      // Further behind than history: the published state itself.
      const state = await readPresenceState(redis, names, guildId);
      const guild = dataset.guilds.get(guildId);
      if (!guild || state.seq <= (applied.get(guildId) ?? 0)) return;
      guild.presence.clear();
      for (const [id, status] of generated.get(guildId) ?? []) guild.presence.set(id, status);
      for (const [id, status] of state.changes) guild.presence.set(id, status);
      applied.set(guildId, state.seq);
    };
    return inOrder(guildId, run);
  };

  return {
    live(frame) {
      if (!apply(frame)) catchUp(frame.guild_id).catch(deps.onError);
    },
    catchUp,
    applied: (guildId) => applied.get(guildId) ?? 0,
  };
}

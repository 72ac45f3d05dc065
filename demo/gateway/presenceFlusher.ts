import type { LogPresencePayload, PresenceStatus, PresenceUpdate, Snowflake } from "../../src/protocol";
import { MAX_PRESENCE_UPDATES } from "../../src/schema/serverPayloads";
import { presenceTopic, type Broker } from "./broker";
import type { Cancel, Clock } from "./clock";
import type { Dataset } from "./dataset/Dataset";
import { withStatus } from "./dataset/guildPresence";
import type { TopicLog } from "./history";

/** A guild's pending presence changes are flushed at most this often (PROTOCOL.md Extension 2). */
export const PRESENCE_FLUSH_MS = 1000;

/**
 * The producer's side of presence: changes are gathered per guild and flushed at most once a
 * second, each member once with its latest status (none when it ended where it started), in
 * `log_presence` frames of at most 1,000 updates within the payload cap, each numbered on the
 * guild's presence topic, retained for replay and published. A flush also applies the changes to
 * the dataset's published presence, which is what pool answers and online snapshots show: the
 * presence seq of a guild and its published presence move together.
 */
export interface PresenceFlusher {
  /** Records a change of `memberId`'s presence (flushed within a second). */
  change(guildId: Snowflake, memberId: Snowflake, status: PresenceStatus): void;
  /** The member's latest status as the producer decided it (pending changes included). */
  statusOf(guildId: Snowflake, memberId: Snowflake): PresenceStatus;
  /** Changes recorded and not flushed yet. */
  pending(): number;
  /** Flushes made (frames published). */
  frames(): number;
  /** Cancels the flush timers (pending changes are dropped). */
  stop(): void;
}

interface Pending {
  changes: Map<Snowflake, { from: PresenceStatus; to: PresenceStatus }>;
  timer: Cancel | null;
}

export function createPresenceFlusher(deps: {
  dataset: Dataset;
  events: TopicLog;
  broker: Broker;
  clock: Clock;
  /** The payload cap frames stay within. */
  maxBytes: number;
  onError: (error: unknown) => void;
  intervalMs?: number;
}): PresenceFlusher {
  const { dataset, clock } = deps;
  const interval = deps.intervalMs ?? PRESENCE_FLUSH_MS;
  const pending = new Map<Snowflake, Pending>();
  const lastFlush = new Map<Snowflake, number>();
  let frames = 0;

  const flush = (guildId: Snowflake) => {
    const guild = dataset.guilds.get(guildId);
    const entry = pending.get(guildId);
    pending.delete(guildId);
    lastFlush.set(guildId, clock.now());
    if (!guild || !entry) return;
    const updates: PresenceUpdate[] = [];
    for (const [id, { from, to }] of entry.changes) {
      const member = guild.pools.member.get(id);
      // Back where it started, or no longer a member: nothing to say.
      if (from === to || !member) continue;
      guild.presence.set(id, to);
      updates.push(
        from === "offline"
          ? { id, status: to, member: withStatus(member, guild.presence) }
          : { id, status: to },
      );
    }
    for (const chunk of framesOf(guildId, updates, deps.maxBytes)) {
      frames++;
      void publish(guildId, chunk).catch(deps.onError);
    }
  };

  const publish = async (guildId: Snowflake, updates: PresenceUpdate[]) => {
    const topic = presenceTopic(guildId);
    const logged = await deps.events.append(topic, (seq): LogPresencePayload => ({
      guild_id: guildId,
      seq,
      updates,
    }));
    await deps.broker.publish(topic, logged.payload);
  };

  return {
    change(guildId, memberId, status) {
      const guild = dataset.guilds.get(guildId);
      if (!guild) throw new RangeError(`unknown guild ${guildId}`);
      let entry = pending.get(guildId);
      if (!entry) {
        const wait = Math.max(0, (lastFlush.get(guildId) ?? -Infinity) + interval - clock.now());
        entry = { changes: new Map(), timer: null };
        entry.timer = clock.setTimeout(() => flush(guildId), wait);
        pending.set(guildId, entry);
      }
      const change = entry.changes.get(memberId);
      if (change) change.to = status;
      else entry.changes.set(memberId, { from: guild.presence.statusOf(memberId), to: status });
    },
    statusOf(guildId, memberId) {
      const change = pending.get(guildId)?.changes.get(memberId);
      return change ? change.to : (dataset.guilds.get(guildId)?.presence.statusOf(memberId) ?? "offline");
    },
    pending: () => [...pending.values()].reduce((n, p) => n + p.changes.size, 0),
    frames: () => frames,
    stop() {
      for (const entry of pending.values()) entry.timer?.();
      pending.clear();
    },
  };
}

/** Fixed bytes of a frame beside its updates: the guild id, a seq of up to 16 digits, the braces. */
const frameOverhead = (guildId: string) =>
  Buffer.byteLength(JSON.stringify({ guild_id: guildId, seq: 1e15, updates: [] }));

/** Updates cut into frames of at most 1,000 updates and `maxBytes` (an update never alone over it). */
export function framesOf(guildId: string, updates: PresenceUpdate[], maxBytes: number): PresenceUpdate[][] {
  const out: PresenceUpdate[][] = [];
  let frame: PresenceUpdate[] = [];
  let bytes = frameOverhead(guildId);
  for (const update of updates) {
    const size = Buffer.byteLength(JSON.stringify(update)) + 1;
    if (frame.length > 0 && (frame.length >= MAX_PRESENCE_UPDATES || bytes + size > maxBytes)) {
      out.push(frame);
      frame = [];
      bytes = frameOverhead(guildId);
    }
    frame.push(update);
    bytes += size;
  }
  if (frame.length > 0) out.push(frame);
  return out;
}

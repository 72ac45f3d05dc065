import type { LogOtherPayload, LogPoolPayload, Member } from "../../src/protocol";
import { logsTopic, poolTopic, type Broker } from "./broker";
import type { Cancel, Clock } from "./clock";
import type { Dataset } from "./dataset/Dataset";
import { withStatus } from "./dataset/guildPresence";
import { makeMessageEvent, makePoolEvent } from "./dataset/poolActivity";
import { randomPresenceChange } from "./dataset/presenceChanges";
import type { Random } from "./dataset/random";
import type { TopicLog } from "./history";
import { createPresenceFlusher, type PresenceFlusher } from "./presenceFlusher";

/** `presence`: a member's presence changes (PROTOCOL.md Extension 2; flushed within a second). */
export type ActivityKind = "message" | "private_message" | "pool_update" | "presence";

/**
 * The event producer (the bot's side of the message queue): makes log events that really
 * change the dataset, numbers them per guild and topic, retains them for replay and
 * publishes them on the broker. Runs at a background rate and on demand.
 */
export interface Activity {
  /** Publishes `count` events of `kind` in `guildId` now; resolves to how many were published. */
  publish(guildId: string, kind: ActivityKind, count: number): Promise<number>;
  /** Background events per second over all guilds (0 = off). */
  setRate(eventsPerSecond: number): void;
  rate(): number;
  /**
   * Background presence changes per second (0 = off): in `guildId`, or over all guilds, each
   * in proportion to its members.
   */
  setPresenceRate(changesPerSecond: number, guildId?: string | null): void;
  presenceRate(): number;
  stop(): void;
}

/** The activity of the process that makes the events (not a node forwarding to it). */
export interface LocalActivity extends Activity {
  /**
   * Background events made and not yet published (waiting for history, e.g. Redis away), and how
   * many the background rate skipped because that reached `maxInFlight`.
   */
  load(): { inFlight: number; throttled: number };
}

const TICK_MS = 20;
/** Background events waiting to be published before the rate pauses (backpressure). */
export const DEFAULT_MAX_IN_FLIGHT = 10_000;

export function createActivity(deps: {
  dataset: Dataset;
  events: TopicLog;
  broker: Broker;
  clock: Clock;
  random: Random;
  onError: (error: unknown) => void;
  maxInFlight?: number;
  /** The payload cap presence frames stay within (default 64 KiB). */
  maxPayloadBytes?: number;
  /** Whether members in pool events carry their status (Extension 2; default true). */
  presence?: boolean;
}): LocalActivity {
  const { dataset, events, broker, clock, random } = deps;
  const presence: PresenceFlusher = createPresenceFlusher({
    dataset,
    events,
    broker,
    clock,
    maxBytes: deps.maxPayloadBytes ?? 64 * 1024,
    onError: deps.onError,
  });
  const maxInFlight = deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  let inFlight = 0;
  let throttled = 0;
  let rate = 0;
  let cancel: Cancel | null = null;
  let owed = 0;
  let last = clock.now();
  const guildIds = [...dataset.guilds.keys()];
  let presenceRate = 0;
  let presenceGuild: string | null = null;
  let presenceOwed = 0;
  // Background presence churn falls on a guild in proportion to its members.
  const weights: number[] = [];
  let totalWeight = 0;
  for (const id of guildIds) weights.push((totalWeight += dataset.guilds.get(id)?.pools.member.size ?? 0));
  const weightedGuild = () => {
    const roll = random.next() * totalWeight;
    return guildIds[
      Math.max(
        0,
        weights.findIndex((w) => roll < w),
      )
    ] as string;
  };
  /** A random presence change in `guildId`; false when the guild has nobody to change. */
  const changePresence = (guildId: string): boolean => {
    const guild = dataset.guilds.get(guildId);
    if (!guild) return false;
    const change = randomPresenceChange(guild, random, (id) => presence.statusOf(guildId, id));
    if (!change) return false;
    presence.change(guildId, change.id, change.status);
    return true;
  };
  /** Members in a pool event carry their published presence, as every member a gateway sends. */
  const withPresence = (guildId: string, updates: LogPoolPayload["updates"]): LogPoolPayload["updates"] => {
    const guild = dataset.guilds.get(guildId);
    if (!guild || deps.presence === false) return updates;
    return updates.map((u) =>
      u.type === "member" && u.entity ? { ...u, entity: withStatus(u.entity as Member, guild.presence) } : u,
    );
  };

  // The seq is assigned synchronously (in the order the dataset changed); retaining it may take
  // a round trip to shared history, which comes before publishing so a node can always replay.
  const one = async (guildId: string, kind: ActivityKind): Promise<void> => {
    const now = clock.now();
    if (kind === "pool_update") {
      const change = makePoolEvent(dataset, guildId, random, now);
      const logged = await events.append(poolTopic(guildId), (seq): LogPoolPayload => ({
        guild_id: guildId,
        seq,
        action: change.action,
        updates: withPresence(guildId, change.updates),
      }));
      return broker.publish(poolTopic(guildId), logged.payload);
    }
    const entry = makeMessageEvent(dataset, guildId, random, now, { private: kind === "private_message" });
    const logged = await events.append(logsTopic(guildId), (seq): LogOtherPayload => ({
      guild_id: guildId,
      seq,
      ...entry,
    }));
    return broker.publish(logsTopic(guildId), logged.payload);
  };

  const tick = () => {
    const now = clock.now();
    owed += ((now - last) * rate) / 1000;
    last = now;
    const due = Math.floor(owed);
    owed -= due;
    // While history does not take entries, make no more than it can catch up with: the events
    // not made are counted, never made and dropped (their seqs would be holes).
    const made = Math.max(0, Math.min(due, maxInFlight - inFlight));
    throttled += due - made;
    presenceOwed += ((now - lastPresence) * presenceRate) / 1000;
    lastPresence = now;
    const presenceDue = Math.floor(presenceOwed);
    presenceOwed -= presenceDue;
    for (let i = 0; i < presenceDue; i++) changePresence(presenceGuild ?? weightedGuild());
    for (let i = 0; i < made; i++) {
      const roll = random.next();
      const kind: ActivityKind = roll < 0.02 ? "pool_update" : roll < 0.12 ? "private_message" : "message";
      inFlight++;
      one(random.pick(guildIds), kind)
        .catch(deps.onError)
        .finally(() => inFlight--);
    }
    cancel = rate > 0 || presenceRate > 0 ? clock.setTimeout(tick, TICK_MS) : null;
  };
  let lastPresence = clock.now();
  const restart = () => {
    cancel?.();
    cancel = null;
    owed = 0;
    presenceOwed = 0;
    last = lastPresence = clock.now();
    if (rate > 0 || presenceRate > 0) cancel = clock.setTimeout(tick, TICK_MS);
  };

  return {
    async publish(guildId, kind, count) {
      if (!dataset.guilds.has(guildId)) throw new Error(`unknown guild ${guildId}`);
      if (kind === "presence") {
        // Changes now; their frames go out at the guild's next flush (within a second).
        let made = 0;
        while (made < count && changePresence(guildId)) made++;
        return made;
      }
      for (let i = 0; i < count; i++) await one(guildId, kind);
      return count;
    },
    setRate(eventsPerSecond) {
      rate = eventsPerSecond;
      restart();
    },
    rate: () => rate,
    setPresenceRate(changesPerSecond, guildId = null) {
      if (guildId !== null && !dataset.guilds.has(guildId)) throw new Error(`unknown guild ${guildId}`);
      presenceRate = changesPerSecond;
      presenceGuild = guildId;
      restart();
    },
    presenceRate: () => presenceRate,
    load: () => ({ inFlight, throttled }),
    stop() {
      rate = 0;
      presenceRate = 0;
      cancel?.();
      cancel = null;
      presence.stop();
    },
  };
}

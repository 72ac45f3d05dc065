import type { LogGap } from "../../src/shared";
import type { Disposer } from "../signal";

/** One tab subscription's end of a guild's log stream. */
export interface LogSubscriber {
  /** A log entry, as the gateway's JSON, with its seq. */
  entry(raw: string, seq: number): void;
  /** Entries between two seqs will never come. */
  gap(gap: LogGap): void;
}

/**
 * The log subscribers of every guild: the one owner of who receives a guild's log entries and
 * gaps. Frame routing hands it entries, the spectator gaps, and asks whether logs are wanted.
 */
export class LogFanout {
  readonly #byGuild = new Map<string, Set<LogSubscriber>>();

  /** Adds a subscriber of the guild's logs; the disposer removes it. */
  add(guildId: string, subscriber: LogSubscriber): Disposer {
    let subscribers = this.#byGuild.get(guildId);
    if (!subscribers) this.#byGuild.set(guildId, (subscribers = new Set()));
    subscribers.add(subscriber);
    return () => {
      const current = this.#byGuild.get(guildId);
      current?.delete(subscriber);
      if (current?.size === 0) this.#byGuild.delete(guildId);
    };
  }

  /** Whether some tab subscribes to this guild's logs now. */
  wanted(guildId: string): boolean {
    return this.#byGuild.has(guildId);
  }

  /** A log entry of the guild, to each of its subscribers. */
  entry(guildId: string, raw: string, seq: number): void {
    for (const subscriber of this.#byGuild.get(guildId) ?? []) subscriber.entry(raw, seq);
  }

  /** A gap in the guild's logs, to each of its subscribers. */
  gap(gap: LogGap): void {
    for (const subscriber of this.#byGuild.get(gap.guildId) ?? []) subscriber.gap(gap);
  }
}

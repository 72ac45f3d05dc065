import type { Cancel, Clock } from "../../src/shared";
import type { GuildSeqs } from "../spectate/guildSeqs";
import type { PoolStore } from "./poolStore";

/** What the grace asks of the spectator about a guild. */
export interface CatchUpView {
  /** The guild some tab wishes to spectate (answered or not). */
  readonly wishedGuildId: string | null;
  /** Whether the last spectate of the guild failed. */
  failedFor(guildId: string): boolean;
  /** Whether a spectate would catch restored pools up (seeded), and whether a replay is being applied. */
  readonly seqs: Pick<GuildSeqs, "canCatchUp" | "catchingUp">;
}

export interface CatchUpGraceDeps {
  clock: Clock;
  graceMs: number;
  spectator: CatchUpView;
  refetch(store: PoolStore): void;
}

/**
 * Brings restored pools up to date. A guild pool whose copy has a seq waits for a spectate of its
 * guild, which replays what it missed (`since`); if its guild is not spectated within the grace
 * window, or the pool cannot catch up, it is fetched again.
 */
export class CatchUpGrace {
  readonly #timers = new Map<PoolStore, Cancel>();
  readonly #deps: CatchUpGraceDeps;

  constructor(deps: CatchUpGraceDeps) {
    this.#deps = deps;
  }

  /** A restored (stale) pool a tab listens to: caught up by its guild's spectate, or fetched again. */
  revalidate(store: PoolStore): void {
    const { clock, graceMs, spectator, refetch } = this.#deps;
    if (!store.meta.stale || store.meta.loadingAll || store.refetching || this.#timers.has(store)) return;
    const guildId = store.guildId;
    if (guildId === null || store.restoredSeq === null || !spectator.seqs.canCatchUp(guildId))
      return refetch(store);
    // Still worth waiting: its guild is wished for, its spectate neither answered nor refused.
    const waiting = () =>
      spectator.wishedGuildId === guildId &&
      !spectator.failedFor(guildId) &&
      (spectator.seqs.canCatchUp(guildId) || spectator.seqs.catchingUp(guildId));
    const check = () => {
      this.#timers.delete(store);
      if (!store.meta.stale || store.listeners === 0) return;
      if (waiting()) this.#timers.set(store, clock.setTimeout(check, graceMs));
      else refetch(store);
    };
    this.#timers.set(store, clock.setTimeout(check, graceMs));
  }

  /** Cancels every wait (the user's data goes: a refetch must not fire for the next user). */
  clear(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }
}

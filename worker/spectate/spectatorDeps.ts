import type { GatewayError, LogGap } from "../../src/shared";
import type { Requests } from "../gateway/requests";

/** What the spectator needs from the hub: the requests, the tabs' views, the pools. */
export interface SpectatorDeps {
  requests: Requests;
  /** Whether some tab subscribes to this guild's logs now. */
  logsWanted(guildId: string): boolean;
  /** The gap since the last seen pool event cannot be replayed: drop the guild's pools. */
  invalidateGuild(guildId: string): void;
  authenticated(): boolean;
  /** Why a spectate cannot go while not authenticated (`session_expired` after an expiry). */
  loginNeeded(what: string): GatewayError;
  /** The guild's pools have every update up to the gateway's seq (a replay was applied). */
  caughtUp(guildId: string): void;
  /**
   * Pools of the guild being restored from the cache (null: none): the spectate waits for
   * them, so it can ask for what came after their copies (`since`) instead of reloading.
   */
  restoring(guildId: string): Promise<void> | null;
  /** Log entries that were flowing cannot be replayed: the log subscribers are told. */
  logsGap(gap: LogGap): void;
  /** The batching window to ask the gateway for (Extension 1; 0 or absent: single frames). */
  batchMs(): number;
  /**
   * Whether some tab views this guild's members (Extension 2: presence is asked for); with
   * null, whether some tab waits to learn if the gateway has presence (an online view).
   */
  presenceWanted(guildId: string | null): boolean;
  /**
   * Presence frames of the guild flow from `fromSeq` on (every later frame will be applied):
   * member pools whose statuses are older, or of unknown age, are to be fetched again.
   */
  presenceFlow(guildId: string, fromSeq: number): void;
}

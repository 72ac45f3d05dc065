import type { GatewayError, LogGap } from "../../src/shared";
import type { Requests } from "../gateway/requests";

/** What the spectator uses: requests, the session, and what the pools and log subscribers need. */
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
  /** Pools of the guild being restored from the cache (null: none): the spectate waits for them. */
  restoring(guildId: string): Promise<void> | null;
  /** Log entries that were flowing cannot be replayed: the log subscribers are told. */
  logsGap(gap: LogGap): void;
  /** The batching window to ask the gateway for (Extension 1; 0: single frames). */
  batchMs(): number;
  /** Whether some tab views this guild's members; with null, whether an online view waits to learn if the gateway has presence. */
  presenceWanted(guildId: string | null): boolean;
  /** Presence frames of the guild flow from `fromSeq` on: older member pools are fetched again. */
  presenceFlow(guildId: string, fromSeq: number): void;
}

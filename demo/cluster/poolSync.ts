import type { Redis } from "ioredis";
import type { LogPoolPayload } from "../../src/protocol";
import { poolTopic } from "../gateway/broker";
import type { Dataset } from "../gateway/dataset/Dataset";
import { applyPoolUpdates } from "./applyPoolUpdates";
import { POOL_MAXLEN, readSince, type StreamNames } from "./redisHistory";
import { createPerKeyChain } from "./perKeyChain";

/** History no longer holds a pool change this copy of the dataset lacks: it cannot be trusted. */
export class PoolHistoryLostError extends Error {
  override readonly name = "PoolHistoryLostError";
}

/**
 * Keeps one process's copy of the generated dataset equal to the producer's: every node and
 * the producer generate the same dataset (same seed), which is seq 0 of each guild's pool
 * topic; each pool change is applied once, in seq order, live or read from history.
 */
export interface PoolSync {
  /** A pool change that arrived live; a gap is filled from history first. */
  live(event: LogPoolPayload): void;
  /** Applies every change history holds for the guild; rejects with {@link PoolHistoryLostError}. */
  catchUp(guildId: string): Promise<void>;
  /** Seq of the last change applied to the guild's pools. */
  applied(guildId: string): number;
}

export function createPoolSync(deps: {
  redis: Redis;
  names: StreamNames;
  dataset: Dataset;
  onError: (error: unknown) => void;
}): PoolSync {
  const { redis, names, dataset } = deps;
  const applied = new Map<string, number>();
  const inOrder = createPerKeyChain();

  /** Applies `event` if it is the next one; false when one is missing before it. */
  const apply = (event: LogPoolPayload): boolean => {
    const last = applied.get(event.guild_id) ?? 0;
    if (event.seq <= last) return true;
    if (event.seq !== last + 1) return false;
    applyPoolUpdates(dataset, event);
    applied.set(event.guild_id, event.seq);
    return true;
  };

  const catchUp = (guildId: string): Promise<void> => {
    const run = async () => {
      const from = applied.get(guildId) ?? 0;
      const events = await readSince(redis, names, poolTopic(guildId), from, POOL_MAXLEN);
      if (events === null)
        throw new PoolHistoryLostError(
          `pool history of guild ${guildId} no longer holds seq ${from + 1}: this copy of the dataset is stale`,
        );
      for (const event of events) apply(event.value as LogPoolPayload);
    };
    return inOrder(guildId, run);
  };

  return {
    live(event) {
      if (!apply(event)) catchUp(event.guild_id).catch(deps.onError);
    },
    catchUp,
    applied: (guildId) => applied.get(guildId) ?? 0,
  };
}

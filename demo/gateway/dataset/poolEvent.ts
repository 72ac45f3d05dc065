import type { LogAction, PoolUpdate } from "../../../src/protocol";

/** A change of a guild's pools: the log entry and the pool updates it causes (`log_pool`). */
export interface PoolEvent {
  action: LogAction;
  updates: PoolUpdate[];
}

import type { Entity } from "../protocol/entities";
import type { ErrorInfo } from "../shared/GatewayError";
import type {
  ConnectionState,
  LogEntry,
  LogGap,
  PoolSource,
  PoolStatus,
  SessionState,
  SpectatingState,
} from "../shared/tabProtocol";

/**
 * One pool snapshot as plain data: what changed since the subscription's previous snapshot, or
 * (`reset`) the whole state.
 */
export interface PoolPatch {
  /** `upserted` is every entity held, in order: replace the slice's entities. */
  reset: boolean;
  /** Entities added or replaced (all of them when `reset`). */
  upserted: Entity[];
  /** Ids no longer held. */
  removed: string[];
  /** By-id specs: the ids held, in the order asked; null for whole pools (arrival order). */
  order: string[] | null;
  nonexistent: string[];
  status: PoolStatus;
  loaded: number;
  total: number | null;
  stale: boolean;
  source: PoolSource;
  error: ErrorInfo | null;
  savedAt: number | null;
}

/**
 * One change of the mirrored streams. Every change of one task travels in one
 * `gateway/streams/batch` action, in the order the client emitted them.
 */
export type StreamUpdate =
  | { t: "connection"; value: ConnectionState }
  | { t: "session"; value: SessionState }
  | { t: "spectating"; value: SpectatingState }
  /** The client could not be created, or a state stream failed. */
  | { t: "clientError"; error: ErrorInfo }
  | { t: "pool"; key: string; patch: PoolPatch }
  | { t: "poolError"; key: string; error: ErrorInfo }
  /** The spec's last subscriber left and its linger ended: its slice goes. */
  | { t: "poolEnded"; key: string }
  | { t: "logs"; guildId: string; entries: LogEntry[]; gap: LogGap | null }
  /** The guild's logs (re)start with a window of `limit`: creates the slice, or clears its error. */
  | { t: "logsOpen"; guildId: string; limit: number }
  /** The window's size changed (the largest limit subscribed). */
  | { t: "logsLimit"; guildId: string; limit: number }
  | { t: "logsError"; guildId: string; error: ErrorInfo }
  | { t: "logsEnded"; guildId: string };

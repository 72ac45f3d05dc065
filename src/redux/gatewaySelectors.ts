import type { PoolEntities, PoolType } from "../protocol/entities";
import { GatewayError, type ErrorInfo } from "../shared/GatewayError";
import type { ConnectionState, LogEntry, SessionState, SpectatingState } from "../shared/tabProtocol";
import {
  EMPTY_LOGS_SLICE,
  EMPTY_POOL_SLICE,
  type GatewayState,
  type LogsSlice,
  type PoolSlice,
} from "./gatewayState";
import { poolKey, type PoolStreamSpec } from "./streamSpec";

/**
 * Selectors over the binding's state, for `useSelector`, `select` (sagas) or `createSelector`.
 * They return objects of the state itself (or stable empty constants), so a component re-renders
 * only when what it selected changed.
 */
export interface GatewaySelectors {
  /** The binding's whole state. Throws `bad_input` when its reducer is not mounted at `key`. */
  root(state: unknown): GatewayState;
  /** `connection$`'s latest value, null until the first. */
  connection(state: unknown): ConnectionState | null;
  /** `session$`'s latest value, null until the first. */
  session(state: unknown): SessionState | null;
  /** `spectating$`'s latest value, null until the first. */
  spectating(state: unknown): SpectatingState | null;
  /** Why the client could not be created (or its state streams failed), else null. */
  error(state: unknown): ErrorInfo | null;
  /** The spec's pool slice, or `EMPTY_POOL_SLICE` (status `idle`) when not subscribed (or null). */
  pool<T extends PoolType>(state: unknown, spec: PoolStreamSpec<T> | null): PoolSlice<PoolEntities[T]>;
  /** The guild's log entries, oldest first, at most the window's limit (a stable empty array if none). */
  logs(state: unknown, guildId: string | null): readonly LogEntry[];
  /** The guild's log window (`entries`, `gap`, `received`, `limit`, `error`), or `EMPTY_LOGS_SLICE`. */
  logWindow(state: unknown, guildId: string | null): LogsSlice;
}

/** The selectors of a binding whose reducer is mounted at `state[key]`. */
export function createGatewaySelectors(key: string): GatewaySelectors {
  const root = (state: unknown): GatewayState => {
    const mounted =
      typeof state === "object" && state !== null ? (state as Record<string, unknown>)[key] : undefined;
    if (typeof mounted !== "object" || mounted === null)
      throw new GatewayError("bad_input", `the gateway reducer is not mounted at state.${key}`);
    return mounted as GatewayState;
  };
  const logWindow = (state: unknown, guildId: string | null) =>
    (guildId === null ? undefined : root(state).logs[guildId]) ?? EMPTY_LOGS_SLICE;
  return {
    root,
    connection: (state) => root(state).connection,
    session: (state) => root(state).session,
    spectating: (state) => root(state).spectating,
    error: (state) => root(state).error,
    pool: <T extends PoolType>(state: unknown, spec: PoolStreamSpec<T> | null) =>
      ((spec === null ? undefined : root(state).pools[poolKey(spec)]) ?? EMPTY_POOL_SLICE) as PoolSlice<
        PoolEntities[T]
      >,
    logs: (state, guildId) => logWindow(state, guildId).entries,
    logWindow,
  };
}

import type { SessionState } from "../shared/tabProtocol";
import type { LoginLifecycle, PoolLifecycle, StreamsBatchAction } from "./gatewayActions";
import {
  EMPTY_LOGS_SLICE,
  EMPTY_POOL_SLICE,
  INITIAL_GATEWAY_STATE,
  type GatewayState,
  type LogsSlice,
  type PoolSlice,
} from "./gatewayState";
import { foldLogsSlice, resizeLogsSlice } from "./foldLogsSlice";
import { mergePoolSlice } from "./mergePoolSlice";
import { poolKey } from "./streamSpec";
import type { StreamUpdate } from "./streamUpdate";

/** The user a session belongs to (null: anonymous, or not known yet). */
export const userOfSession = (session: SessionState | null): string | null =>
  session === null || session.status === "anonymous" ? null : session.userId;

/**
 * Whether a session change hands the data to someone else: from a user to another user or to
 * nobody. Pools and logs then leave the store (the middleware takes the next snapshots whole).
 */
export const changesUser = (previous: SessionState | null, next: SessionState | null): boolean => {
  const before = userOfSession(previous);
  return before !== null && before !== userOfSession(next);
};

const CLEARED_POOL: PoolSlice<never> = { ...EMPTY_POOL_SLICE, status: "waiting" };

const withPool = (state: GatewayState, key: string, slice: PoolSlice | undefined): GatewayState => {
  if (state.pools[key] === slice) return state;
  const pools = { ...state.pools };
  if (slice) pools[key] = slice;
  else delete pools[key];
  return { ...state, pools };
};

const withLogs = (state: GatewayState, guildId: string, slice: LogsSlice | undefined): GatewayState => {
  if (state.logs[guildId] === slice) return state;
  const logs = { ...state.logs };
  if (slice) logs[guildId] = slice;
  else delete logs[guildId];
  return { ...state, logs };
};

/** The state without any user's data: every pool slice emptied (`waiting`), every log window emptied. */
export function clearUserData(state: GatewayState): GatewayState {
  const emptyPool = (s: PoolSlice) =>
    s.ids.length === 0 && s.nonexistent.length === 0 && s.status === "waiting" && s.error === null;
  const emptyLogs = (s: LogsSlice) => s.entries.length === 0 && s.gap === null && s.error === null;
  const pools = Object.values(state.pools).every(emptyPool)
    ? state.pools
    : Object.fromEntries(Object.keys(state.pools).map((key) => [key, CLEARED_POOL]));
  const logs = Object.values(state.logs).every(emptyLogs)
    ? state.logs
    : Object.fromEntries(
        Object.entries(state.logs).map(([id, s]) => [id, { ...EMPTY_LOGS_SLICE, limit: s.limit }]),
      );
  return pools === state.pools && logs === state.logs ? state : { ...state, pools, logs };
}

/** The state after one stream change (pure). Changes for a spec that is not in the store are dropped. */
export function applyStreamUpdate(state: GatewayState, update: StreamUpdate): GatewayState {
  switch (update.t) {
    case "connection":
      return { ...state, connection: update.value };
    case "spectating":
      return { ...state, spectating: update.value };
    case "session":
      return {
        ...(changesUser(state.session, update.value) ? clearUserData(state) : state),
        session: update.value,
      };
    case "clientError":
      return { ...state, error: update.error };
    case "pool": {
      const slice = state.pools[update.key];
      return slice ? withPool(state, update.key, mergePoolSlice(slice, update.patch)) : state;
    }
    case "poolError": {
      const slice = state.pools[update.key];
      return slice ? withPool(state, update.key, { ...slice, status: "error", error: update.error }) : state;
    }
    case "poolEnded":
      return withPool(state, update.key, undefined);
    case "logs": {
      const slice = state.logs[update.guildId];
      return slice
        ? withLogs(state, update.guildId, foldLogsSlice(slice, update.entries, update.gap))
        : state;
    }
    case "logsOpen": {
      const slice = state.logs[update.guildId] ?? { ...EMPTY_LOGS_SLICE, limit: update.limit };
      const open = slice.error === null ? slice : { ...slice, error: null };
      return withLogs(state, update.guildId, resizeLogsSlice(open, update.limit));
    }
    case "logsLimit": {
      const slice = state.logs[update.guildId];
      return slice ? withLogs(state, update.guildId, resizeLogsSlice(slice, update.limit)) : state;
    }
    case "logsError": {
      const slice = state.logs[update.guildId];
      return slice ? withLogs(state, update.guildId, { ...slice, error: update.error }) : state;
    }
    case "logsEnded":
      return withLogs(state, update.guildId, undefined);
  }
}

type Pending<L extends { pending: (...args: never[]) => unknown }> = ReturnType<L["pending"]>;

/**
 * The binding's reducer: mount it at the `key` given to `createGatewayRedux` (default
 * `gateway`). Plain JSON state, changed only by the binding's own actions.
 */
export function gatewayReducer(state: GatewayState = INITIAL_GATEWAY_STATE, action: unknown): GatewayState {
  if (typeof action !== "object" || action === null) return state;
  switch ((action as { type?: unknown }).type) {
    case "gateway/streams/batch":
      return (action as StreamsBatchAction).payload.reduce(applyStreamUpdate, state);
    case "gateway/pool/pending": {
      const key = poolKey((action as Pending<PoolLifecycle>).meta.arg);
      const slice = state.pools[key] ?? EMPTY_POOL_SLICE;
      return withPool(state, key, { ...slice, status: "loading", error: null });
    }
    case "gateway/login/pending":
      // The worker hands the data to the new user at once: the previous user's leaves now.
      return userOfSession(state.session) === (action as Pending<LoginLifecycle>).meta.arg.userId
        ? state
        : clearUserData(state);
    case "gateway/logout/pending":
    case "gateway/logout/fulfilled":
      return clearUserData(state);
    default:
      return state;
  }
}

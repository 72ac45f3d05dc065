import type { Middleware } from "redux";
import type { GatewayClient } from "../client/connectGateway";
import { systemClock, type Clock } from "../shared/clock";
import { GatewayError } from "../shared/GatewayError";
import { gatewayActions, type GatewayActions } from "./gatewayActions";
import { createGatewayMiddleware, type GatewayDispatch } from "./gatewayMiddleware";
import { gatewayReducer } from "./gatewayReducer";
import { createGatewaySelectors, type GatewaySelectors } from "./gatewaySelectors";
import type { GatewayState } from "./gatewayState";

/** Options of {@link createGatewayRedux}. */
export interface GatewayReduxOptions {
  /** Where the reducer is mounted in the root state (default `"gateway"`): the selectors read `state[key]`. */
  key?: string;
  /**
   * How long a spec stays subscribed after its last release, in ms (default 5,000; 0: it ends at
   * once), as RTK Query's `keepUnusedDataFor`: a remount (StrictMode's too) within it reuses the
   * subscription and its data. When it ends, the spec's slice leaves the store.
   */
  keepUnusedForMs?: number;
  /** Timers of the linger (tests drive time with their own). */
  clock?: Pick<Clock, "setTimeout">;
  /** Whether this is a browser (default: `typeof window !== "undefined"`). Elsewhere nothing runs. */
  isBrowser?: () => boolean;
  /** Where misuse that is ignored is told (default `console.warn`). */
  warn?: (message: string) => void;
}

/** What {@link createGatewayRedux} returns. */
export interface GatewayRedux {
  /** Where the reducer must be mounted. */
  readonly key: string;
  /** The reducer: mount it at `key` (`combineReducers({ [key]: reducer })`, or `configureStore`'s `reducer`). */
  readonly reducer: (state: GatewayState | undefined, action: unknown) => GatewayState;
  /** The middleware: add it to the store (first, with `prepend`, for `dispatch`'s return types). */
  readonly middleware: Middleware<GatewayDispatch>;
  /** The action creators (commands, subscribe/release, and the lifecycle creators to match on). */
  readonly actions: GatewayActions;
  /** The selectors, reading `state[key]`. */
  readonly selectors: GatewaySelectors;
}

/**
 * A Redux binding of a gateway client: a reducer, a middleware, action creators and selectors.
 * Plain Redux (4 or 5, Redux Toolkit 1.9 or 2): no thunk or saga needed. Nothing runs until the
 * first dispatch in a browser, so creating the store during server rendering is safe.
 *
 * @param client The client, or a factory (`() => connectGateway({ url })`) called on the first
 *   dispatch in a browser, never on the server.
 * @param options `key` (default `"gateway"`), `keepUnusedForMs` (default 5,000), `clock`, `isBrowser`, `warn`.
 * @throws {GatewayError} `bad_input` for a `client` that is neither, an empty `key` or a negative linger.
 * @example
 * ```ts
 * const gateway = createGatewayRedux(() => connectGateway({ url }), { key: "gateway" });
 * const store = configureStore({
 *   reducer: { gateway: gateway.reducer },
 *   middleware: (getDefault) => getDefault().prepend(gateway.middleware),
 * });
 * store.dispatch(gateway.actions.subscribe({ pool: "channel", guildId }));
 * gateway.selectors.pool(store.getState(), { pool: "channel", guildId }).entities;
 * ```
 */
export function createGatewayRedux(
  client: GatewayClient | (() => GatewayClient),
  options: GatewayReduxOptions = {},
): GatewayRedux {
  if (typeof client !== "function" && (typeof client !== "object" || client === null))
    throw new GatewayError("bad_input", "createGatewayRedux needs a client or a factory of one");
  const key = options.key ?? "gateway";
  if (typeof key !== "string" || key.length === 0)
    throw new GatewayError("bad_input", "createGatewayRedux: key must be a non-empty string");
  const keepUnusedForMs = options.keepUnusedForMs ?? 5_000;
  if (!Number.isFinite(keepUnusedForMs) || keepUnusedForMs < 0)
    throw new GatewayError("bad_input", "createGatewayRedux: keepUnusedForMs must be 0 or more");
  return {
    key,
    reducer: gatewayReducer,
    middleware: createGatewayMiddleware({
      client,
      keepUnusedForMs,
      clock: options.clock ?? systemClock,
      isBrowser: options.isBrowser ?? (() => typeof window !== "undefined"),
      warn: options.warn ?? ((message) => console.warn(message)),
    }),
    actions: gatewayActions,
    selectors: createGatewaySelectors(key),
  };
}

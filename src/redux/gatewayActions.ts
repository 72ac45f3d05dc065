import type { Entity } from "../protocol/entities";
import type { InterpretReturnPayload } from "../protocol/payloads";
import { GatewayError, type ErrorInfo } from "../shared/GatewayError";
import type { InterpretMessage, PoolSource, SessionState, SpectatingState } from "../shared/tabProtocol";
import { matchable, requestLifecycle, type RequestLifecycle } from "./requestLifecycle";
import {
  normalizeStreamSpec,
  type NormalizedPoolSpec,
  type NormalizedStreamSpec,
  type StreamSpec,
} from "./streamSpec";
import type { StreamUpdate } from "./streamUpdate";
import { userIdFromToken } from "./userIdFromToken";

/** Every action type of the binding. Lifecycles add `/pending`, `/fulfilled` and `/rejected`. */
export const GATEWAY_ACTION_TYPES = {
  start: "gateway/start",
  subscribe: "gateway/subscribe",
  release: "gateway/release",
  login: "gateway/login",
  logout: "gateway/logout",
  spectate: "gateway/spectate",
  interpret: "gateway/interpret",
  pool: "gateway/pool",
  streamsBatch: "gateway/streams/batch",
} as const;

/** Starts the binding (creates the client in a browser); any action does it too. Reaches reducers. */
export type StartAction = {
  type: "gateway/start";
};
/** Takes one reference on a spec (ref-counted by the middleware). Reaches reducers (which ignore it). */
export type SubscribeAction = {
  type: "gateway/subscribe";
  payload: NormalizedStreamSpec;
};
/** Gives one reference back; the last one ends the subscription after the linger. */
export type ReleaseAction = {
  type: "gateway/release";
  payload: NormalizedStreamSpec;
};
/** Command: log in. Consumed by the middleware; the token is not in it (see `login`). */
export type LoginCommand = {
  type: "gateway/login";
  payload: { userId: string | null };
};
/** Command: log out. Consumed by the middleware. */
export type LogoutCommand = {
  type: "gateway/logout";
};
/** What a spectate asks: the guild (null: none) and whether with logs. */
export interface SpectateArg {
  guildId: string | null;
  includeLogs?: boolean;
}
/** Command: spectate a guild. Consumed by the middleware. */
export type SpectateCommand = {
  type: "gateway/spectate";
  payload: SpectateArg;
};
/** Command: run a message through the bot mock. Consumed by the middleware. */
export type InterpretCommand = {
  type: "gateway/interpret";
  payload: InterpretMessage;
};
/** Every change of the mirrored streams in one task, in order (see `StreamUpdate`). */
export type StreamsBatchAction = {
  type: "gateway/streams/batch";
  payload: StreamUpdate[];
};

/** `gateway/pool/fulfilled`'s payload: the pool's first load (also in the store by then). */
export interface PoolLoad {
  entities: Entity[];
  loaded: number;
  total: number | null;
  source: PoolSource;
  stale: boolean;
  savedAt: number | null;
}

/** The lifecycle of `login`: `meta.arg` is `{userId}` (the token's `sub`), never the token. */
export type LoginLifecycle = RequestLifecycle<"gateway/login", { userId: string | null }, SessionState>;
/** The lifecycle of `logout` (`payload: null`). */
export type LogoutLifecycle = RequestLifecycle<"gateway/logout", undefined, null>;
/** The lifecycle of `spectate`. */
export type SpectateLifecycle = RequestLifecycle<"gateway/spectate", SpectateArg, SpectatingState>;
/** The lifecycle of `interpret`. */
export type InterpretLifecycle = RequestLifecycle<
  "gateway/interpret",
  InterpretMessage,
  InterpretReturnPayload
>;
/** The lifecycle of a pool's first load: `meta.arg` is the normalized pool spec. */
export type PoolLifecycle = RequestLifecycle<"gateway/pool", NormalizedPoolSpec, PoolLoad>;

/** What the middleware finds for a login command: the token, or why it cannot log in. */
type LoginInput = { token: string; userId: string } | { error: ErrorInfo };
/** Tokens of login commands, by command object: never in the action itself. */
const loginInputs = new WeakMap<object, LoginInput>();

/** The token (or the reason it is unusable) behind a login command made by `actions.login`. */
export function loginInputOf(command: object): LoginInput {
  return (
    loginInputs.get(command) ?? {
      error: { code: "bad_input", message: "login: dispatch the action gateway.actions.login(token) makes" },
    }
  );
}

const login = Object.assign(
  matchable("gateway/login", (token: string): LoginCommand => {
    let input: LoginInput;
    let userId: string | null = null;
    try {
      userId = userIdFromToken(token);
      input = { token, userId };
    } catch (error) {
      input = { error: GatewayError.info(error) };
    }
    const command: LoginCommand = { type: "gateway/login", payload: { userId } };
    loginInputs.set(command, input);
    return command;
  }),
  requestLifecycle("gateway/login") as LoginLifecycle,
);

const logout = Object.assign(
  matchable("gateway/logout", (): LogoutCommand => ({ type: "gateway/logout" })),
  requestLifecycle("gateway/logout") as LogoutLifecycle,
);

const spectate = Object.assign(
  matchable(
    "gateway/spectate",
    (guildId: string | null, options: { includeLogs?: boolean } = {}): SpectateCommand => ({
      type: "gateway/spectate",
      payload:
        options.includeLogs === undefined ? { guildId } : { guildId, includeLogs: options.includeLogs },
    }),
  ),
  requestLifecycle("gateway/spectate") as SpectateLifecycle,
);

const interpret = Object.assign(
  matchable("gateway/interpret", (message: InterpretMessage): InterpretCommand => ({
    type: "gateway/interpret",
    payload: message,
  })),
  requestLifecycle("gateway/interpret") as InterpretLifecycle,
);

/**
 * The binding's action creators. `subscribe` and `release` throw `bad_input` for a bad spec
 * (nothing is dispatched, no state changes). The commands (`login`, `logout`, `spectate`,
 * `interpret`) carry their lifecycle creators: `gateway.actions.login.fulfilled` etc.
 */
export const gatewayActions = {
  /** Starts the binding: creates the client (in a browser) and mirrors its state. Any action does too. */
  start: matchable("gateway/start", (): StartAction => ({ type: "gateway/start" })),
  /** One more reference on a spec: the first starts the client subscription. */
  subscribe: matchable("gateway/subscribe", (spec: StreamSpec): SubscribeAction => ({
    type: "gateway/subscribe",
    payload: normalizeStreamSpec(spec),
  })),
  /** One reference less: the last one ends the subscription after the linger (`keepUnusedForMs`). */
  release: matchable("gateway/release", (spec: StreamSpec): ReleaseAction => ({
    type: "gateway/release",
    payload: normalizeStreamSpec(spec),
  })),
  /**
   * Logs in with a JWT. The token is kept beside the action (in a WeakMap), never in it: no
   * reducer, middleware after the binding's, devtools or state ever sees it. A malformed token
   * gives `gateway/login/rejected` (`bad_input`) and nothing else.
   */
  login,
  /** Logs out: the store's pools and logs are cleared (`pending` and `fulfilled`). */
  logout,
  /** Spectates a guild (null: none); `includeLogs` as `client.spectate`. */
  spectate,
  /** Runs a message through the front-page bot mock. */
  interpret,
  /** A pool's first load: pending when its client subscription starts, then fulfilled or rejected. */
  pool: requestLifecycle("gateway/pool") as PoolLifecycle,
  /** The one action per task that carries every stream change. */
  streamsBatch: matchable("gateway/streams/batch", (updates: StreamUpdate[]): StreamsBatchAction => ({
    type: "gateway/streams/batch",
    payload: updates,
  })),
};

/** The binding's action creators (see {@link gatewayActions}). */
export type GatewayActions = typeof gatewayActions;

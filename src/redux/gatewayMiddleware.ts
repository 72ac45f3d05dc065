import type { Middleware } from "redux";
import type { GatewayClient } from "../client/connectGateway";
import type { Clock } from "../shared/clock";
import { GatewayError, type ErrorInfo } from "../shared/GatewayError";
import type { SessionState } from "../shared/tabProtocol";
import {
  gatewayActions,
  loginInputOf,
  type InterpretCommand,
  type InterpretLifecycle,
  type LoginCommand,
  type LoginLifecycle,
  type LogoutCommand,
  type LogoutLifecycle,
  type SpectateCommand,
  type SpectateLifecycle,
} from "./gatewayActions";
import { changesUser } from "./gatewayReducer";
import { nextRequestId, type RequestLifecycle, type SettledAction } from "./requestLifecycle";
import { createStreamQueue } from "./streamQueue";
import { createStreamRegistry } from "./streamRegistry";
import { normalizeStreamSpec } from "./streamSpec";

type Settled<L> = L extends RequestLifecycle<infer N, infer A, infer R> ? SettledAction<N, A, R> : never;

/**
 * What `dispatch` returns for the binding's commands (with the middleware in the store): a
 * Promise of the settled lifecycle action (fulfilled or rejected), which never rejects.
 */
export interface GatewayDispatch {
  (command: LoginCommand): Promise<Settled<LoginLifecycle>>;
  (command: LogoutCommand): Promise<Settled<LogoutLifecycle>>;
  (command: SpectateCommand): Promise<Settled<SpectateLifecycle>>;
  (command: InterpretCommand): Promise<Settled<InterpretLifecycle>>;
}

/** Options of {@link createGatewayMiddleware}. */
export interface GatewayMiddlewareOptions {
  /** The client, or a factory called on the first dispatch in a browser (never on the server). */
  client: GatewayClient | (() => GatewayClient);
  /** How long a spec nobody subscribes to stays subscribed, in ms (0: it ends at once). */
  keepUnusedForMs: number;
  /** Timers of the linger. */
  clock: Pick<Clock, "setTimeout">;
  /** Whether this is a browser: elsewhere (server rendering, a Gatsby build) the middleware does nothing. */
  isBrowser(): boolean;
  /** Told about misuse that is ignored (a release of a spec that is not subscribed). */
  warn(message: string): void;
}

const NOT_IN_BROWSER: ErrorInfo = { code: "unsupported", message: "the gateway runs in a browser only" };

/**
 * The binding's middleware: starts the client on the first dispatch in a browser and mirrors
 * `connection$`, `session$`, `spectating$`; ref-counts `subscribe`/`release` (one client
 * subscription per spec, ended after a linger); turns the commands into lifecycle actions (the
 * commands themselves never reach `next`); coalesces every stream change of a task into one
 * `gateway/streams/batch`. On the server it calls nothing: subscribe and release pass through,
 * commands resolve with a rejected action (`unsupported`) that is not dispatched.
 */
export function createGatewayMiddleware(options: GatewayMiddlewareOptions): Middleware<GatewayDispatch> {
  let client: GatewayClient | null = null;
  let clientError: ErrorInfo | null = null;
  /** The client, created once; a factory that threw throws its error again (never retried). */
  const resolveClient = (): GatewayClient => {
    if (client) return client;
    if (clientError) throw GatewayError.from(clientError);
    try {
      client = typeof options.client === "function" ? options.client() : options.client;
      return client;
    } catch (error) {
      clientError = GatewayError.info(error);
      throw error;
    }
  };

  return (api) => {
    const dispatch = (action: object) => api.dispatch(action as never);
    const queue = createStreamQueue(dispatch);
    const dispatchNow = (action: object) => {
      queue.flush();
      dispatch(action);
    };
    const registry = createStreamRegistry({
      client: resolveClient,
      queue,
      dispatchNow,
      keepUnusedForMs: options.keepUnusedForMs,
      clock: options.clock,
      warn: options.warn,
    });
    let started = false;
    let lastSession: SessionState | null = null;

    /** Starts once, in a browser: the client's state streams into the store. */
    const start = (): boolean => {
      if (started || !options.isBrowser()) return started;
      started = true;
      const failed = (error: unknown) => queue.push({ t: "clientError", error: GatewayError.info(error) });
      try {
        const c = resolveClient();
        c.connection$.subscribe({ next: (value) => queue.push({ t: "connection", value }), error: failed });
        c.session$.subscribe({
          next: (value) => {
            if (changesUser(lastSession, value)) registry.takeWhole();
            lastSession = value;
            queue.push({ t: "session", value });
          },
          error: failed,
        });
        c.spectating$.subscribe({ next: (value) => queue.push({ t: "spectating", value }), error: failed });
      } catch (error) {
        failed(error);
      }
      return true;
    };

    /** Runs one request-shaped call: pending, then fulfilled or rejected; resolves with the settled action. */
    const request = <N extends string, A, R>(
      lifecycle: RequestLifecycle<N, A, R>,
      arg: A,
      run: (c: GatewayClient) => Promise<R>,
      clears = false,
    ): Promise<SettledAction<N, A, R>> => {
      const requestId = nextRequestId();
      if (!started) return Promise.resolve(lifecycle.rejected(requestId, arg, NOT_IN_BROWSER));
      let c: GatewayClient;
      try {
        c = resolveClient();
      } catch (error) {
        const rejected = lifecycle.rejected(requestId, arg, GatewayError.info(error));
        dispatchNow(rejected);
        return Promise.resolve(rejected);
      }
      // The reducer clears the user's data on these: the next snapshots are taken whole.
      if (clears) registry.takeWhole();
      dispatchNow(lifecycle.pending(requestId, arg));
      let promise: Promise<R>;
      try {
        promise = run(c);
      } catch (error) {
        promise = Promise.reject(error);
      }
      const settle = (action: SettledAction<N, A, R>) => {
        if (clears) registry.takeWhole();
        dispatchNow(action);
        return action;
      };
      return promise.then(
        (result) => settle(lifecycle.fulfilled(requestId, arg, result)),
        (error: unknown) => settle(lifecycle.rejected(requestId, arg, GatewayError.info(error))),
      );
    };

    const login = (command: LoginCommand) => {
      const input = loginInputOf(command);
      const arg = { userId: "token" in input ? input.userId : null };
      if ("error" in input) {
        const rejected = gatewayActions.login.rejected(nextRequestId(), arg, input.error);
        if (started) dispatchNow(rejected);
        return Promise.resolve(rejected);
      }
      return request(gatewayActions.login, arg, (c) => c.login(input.token), true);
    };

    return (next) => (action) => {
      start();
      if (typeof action !== "object" || action === null) return next(action);
      const a = action as { type?: unknown; payload?: unknown };
      switch (a.type) {
        case "gateway/subscribe":
        case "gateway/release": {
          // A hand-built action is checked too: a bad spec throws bad_input and changes nothing.
          const spec = normalizeStreamSpec(a.payload);
          const result = next(action);
          if (started) {
            if (a.type === "gateway/subscribe") registry.subscribe(spec);
            else registry.release(spec);
          }
          return result;
        }
        case "gateway/login":
          return login(action as LoginCommand);
        case "gateway/logout":
          return request(gatewayActions.logout, undefined, (c) => c.logout().then(() => null), true);
        case "gateway/spectate": {
          const arg = (action as SpectateCommand).payload;
          const options = arg.includeLogs === undefined ? undefined : { includeLogs: arg.includeLogs };
          return request(gatewayActions.spectate, arg, (c) => c.spectate(arg.guildId, options));
        }
        case "gateway/interpret": {
          const message = (action as InterpretCommand).payload;
          return request(gatewayActions.interpret, message, (c) => c.interpret(message));
        }
        default:
          return next(action);
      }
    };
  };
}

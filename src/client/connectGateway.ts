import {
  type ConnectionState,
  type Diagnostics,
  type LogBatch,
  type LogEntry,
  type SessionState,
  type SpectatingState,
  type SubscriptionSpec,
} from "../shared";
import { linkSettings, type ConnectOptions } from "./connectOptions";
import { browserEnvironment, type ClientEnvironment } from "./environment";
import type { GatewayClient } from "./gatewayClient";
import { defaultWorkerFactory } from "./openWorker";
import { watchPageLifecycle } from "./pageLifecycle";
import { createPoolHandle } from "./poolHandle";
import { createRestartRecovery } from "./restartRecovery";
import { createSubscriptions } from "./subscriptions";
import type { LinkSettings } from "./workerInstance";
import { closedError } from "./linkMachine";
import { createWorkerLink } from "./workerLink";

export type { ConnectOptions } from "./connectOptions";
export type { GatewayClient } from "./gatewayClient";
export type { EntitySnapshot, PoolHandle, SearchSnapshot } from "./poolHandle";

/**
 * Connects this tab to the worker that holds the one gateway connection of the origin, starting
 * it if no tab has yet (a SharedWorker; a dedicated Worker per tab where there is none). Returns
 * at once: `client.ready` says when the worker accepted the tab, and every call waits for it.
 *
 * @param options The gateway `url`; optionally `worker` (a factory), `mode`, `cache`, `reconnect`, `backlog`, `batchMs`.
 * @returns The tab's client. It is closed on `pagehide`; call `close()` to release it sooner.
 * @throws {GatewayError} `bad_input` without a `url` string or with an unknown `mode`,
 *   `unsupported` when the browser cannot do the mode asked for (or has no Worker at all). Later
 *   failures reject `ready` and every call.
 * @example
 * ```ts
 * const gateway = connectGateway({ url: "https://gateway.archit.us" });
 * await gateway.login(token);
 * await gateway.spectate(guildId);
 * gateway.pool("autoResponse", { guildId }).all$().subscribe((s) => render(s.entities));
 * ```
 */
export function connectGateway(options: ConnectOptions): GatewayClient {
  const settings = linkSettings(options);
  return createGatewayClient(settings, browserEnvironment(options.worker ?? defaultWorkerFactory));
}

/**
 * The page client over any environment (the browser's, or fakes in tests): the worker link, the
 * tab's subscriptions over it, what a new worker is told after a restart, and the page's
 * lifecycle, wired together. `close()` drains every listener, timer, lock and port they hold.
 */
export function createGatewayClient(settings: LinkSettings, env: ClientEnvironment): GatewayClient {
  const link = createWorkerLink(
    settings,
    {
      deliver: (items) => subscriptions.deliver(items),
      // The worker ended (killed by the browser or devtools, crashed): say so to whoever watches
      // the connection; once a new worker accepted the tab, tell it what this tab had.
      lost: () => subscriptions.workerLost(),
      restarted: () => {
        // The token first: the new worker is logging in (authenticating) when session$ is asked
        // for again, so it never shows anonymous in between.
        restarted();
        subscriptions.resubscribe();
      },
      // No worker will come back (its script fails, it keeps ending, it refuses this tab): every
      // live observable errors with the reason rather than wait for ever.
      failed: (error) => subscriptions.end(error),
    },
    env,
  );
  const subscriptions = createSubscriptions(link, settings.url, (token) => held(token));
  // (link.ready is handled: its rejection is the link's own failure.)
  const { ready } = link;
  const values = <T>(spec: SubscriptionSpec) =>
    subscriptions.observe<T>(spec, () => (item) => (item.t === "value" ? (item.v as T) : undefined));
  const session$ = values<SessionState>({ kind: "session" });
  const { saw, restarted, held, ...sessionCalls } = createRestartRecovery(
    link,
    session$,
    env.clock,
    subscriptions.fresh,
  );

  const client: GatewayClient = {
    ready,
    connection$: values<ConnectionState>({ kind: "connection" }),
    session$,
    spectating$: subscriptions.observe<SpectatingState>({ kind: "spectating" }, () => (item) => {
      if (item.t !== "value") return undefined;
      const state = item.v as SpectatingState;
      if (!state.pending) saw({ guildId: state.guildId, includeLogs: state.includeLogs });
      return state;
    }),
    diagnostics$: values<Diagnostics>({ kind: "diagnostics" }),
    ...sessionCalls,
    pool: (type, poolOptions) => createPoolHandle(subscriptions, type, poolOptions?.guildId ?? null),
    logs$: (guildId) =>
      subscriptions.observe<LogBatch>({ kind: "logs", guildId }, (resume) => (item) => {
        if (item.t === "logs") {
          const entries = JSON.parse(item.json) as LogEntry[];
          const last = entries[entries.length - 1];
          if (last) {
            resume(last.seq);
            saw({ guildId, includeLogs: true });
          }
          return entries;
        }
        // Entries may be missing here: an empty batch that says so.
        if (item.t === "gap") return Object.assign([] as LogEntry[], { gap: item.g });
        return undefined;
      }),
    // A request the gateway answers alike if asked twice: made again on the next worker.
    interpret: (message) => link.call((api) => api.interpret(message), { retry: true }),
    clearCache: () => link.call((api) => api.clearCache()).then(() => undefined),
    devtools: (action) => link.call((api) => api.devtools(action)),
    close() {
      if (link.isClosed()) return Promise.resolve();
      const closing = link.close();
      stopWatching();
      // Every live observable errors `closed` (a wait of the recovery for a login too).
      subscriptions.end(closedError());
      return closing;
    },
  };

  const stopWatching = watchPageLifecycle(
    env.page,
    // A tab that comes to the front takes its guild back.
    () => void link.call((api) => api.focus()).catch(() => {}),
    () => void client.close(),
  );
  return client;
}

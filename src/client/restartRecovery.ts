import { GatewayError, type Clock } from "../shared";
import type { Disposables } from "./disposables";
import type { GatewayClient } from "./gatewayClient";
import type { Subscriptions } from "./subscriptions";

/** A guild to spectate (null: none), with or without its logs. */
export interface Wish {
  guildId: string | null;
  includeLogs: boolean;
}

/** How long a tab without a token waits for another tab's login before it re-spectates nothing. */
export const SESSION_WAIT_MS = 15_000;

/**
 * What this tab told the worker, to tell a new one if the worker ends (the token stays in this
 * page's memory, as it does in the worker's: never in storage). The client reports what it asks
 * and learns; the link reports the worker's end and its replacement.
 */
export interface RestartRecovery {
  /** `login(token)` was asked. */
  loggingIn(token: unknown): void;
  /** That login failed: a refused or malformed token is not handed to the next worker. */
  loginFailed(token: unknown, error: unknown): void;
  loggedOut(): void;
  /** Keeps the refresher; returns it wrapped: the tokens it gives are the ones a new worker gets. */
  refresher(refresher: (() => Promise<string>) | null): (() => Promise<string>) | null;
  /** The tab's own spectate() was answered. */
  spectated(wish: Wish): void;
  /**
   * The guild the connection spectates, as this tab learnt it (spectating$, a batch of logs$): a
   * worker that takes over is asked for it again, by every tab that knows.
   */
  saw(guild: Wish): void;
  /** The worker ended: the tab's streams say so. */
  lost(): void;
  /**
   * A new worker accepted the tab: its subscriptions are made again (each gets a fresh snapshot;
   * pools come back from the cache), then its refresher, its token and its guild.
   */
  restarted(): void;
}

export function createRestartRecovery(deps: {
  client: Pick<GatewayClient, "login" | "spectate" | "setTokenRefresher" | "session$">;
  subscriptions: Pick<Subscriptions, "workerLost" | "resubscribe">;
  clock: Clock;
  disposables: Disposables;
}): RestartRecovery {
  const { client } = deps;
  let token: string | null = null;
  let refresher: (() => Promise<string>) | null = null;
  /** The tab's last spectate() wish. */
  let wish: Wish | null = null;
  /** The connection's guild as this tab last learnt it. */
  let guild: Wish | null = null;

  /** Resolves once some tab logged the new worker in; rejects after SESSION_WAIT_MS or at close. */
  const someoneLogsIn = () =>
    new Promise<void>((resolve, reject) => {
      const stops: (() => void)[] = [];
      let done = false;
      const finish = (error?: unknown) => {
        if (done) return;
        done = true;
        for (const stop of stops.splice(0)) stop();
        if (error === undefined) resolve();
        else reject(error);
      };
      const watch = (stop: () => void) => (done ? stop() : stops.push(stop));
      watch(
        deps.clock.setTimeout(
          () => finish(new GatewayError("timeout", "no tab logged the new worker in")),
          SESSION_WAIT_MS,
        ),
      );
      watch(deps.disposables.add(() => finish(new GatewayError("closed", "this client was closed"))));
      if (done) return;
      const subscription = client.session$.subscribe({
        next: (session) => {
          if (session.status === "authenticated") finish();
        },
        error: (error: unknown) => finish(error ?? new GatewayError("closed", "ended")),
        complete: () => finish(new GatewayError("closed", "ended")),
      });
      watch(() => subscription.unsubscribe());
    });

  return {
    loggingIn(next) {
      if (typeof next === "string") token = next;
    },
    loginFailed(refused, error) {
      if (
        error instanceof GatewayError &&
        (error.code === 401 || error.code === "bad_input") &&
        token === refused
      )
        token = null;
    },
    loggedOut() {
      token = null;
      wish = null;
      guild = null;
    },
    refresher(next) {
      refresher = next;
      return next
        ? async () => {
            const fresh = await next();
            if (typeof fresh === "string") token = fresh;
            return fresh;
          }
        : null;
    },
    spectated(asked) {
      wish = asked;
      guild = asked;
    },
    saw(seen) {
      guild = seen;
    },
    lost: () => deps.subscriptions.workerLost(),
    restarted() {
      deps.subscriptions.resubscribe();
      if (refresher) void client.setTokenRefresher(refresher).catch(() => {});
      const again = guild ?? wish;
      // This tab's token elevates the new worker; a tab without one waits for another tab's.
      const session = token ? client.login(token) : again ? someoneLogsIn() : null;
      void session
        ?.then(() => (again ? client.spectate(again.guildId, { includeLogs: again.includeLogs }) : null))
        .catch(() => {});
    },
  };
}

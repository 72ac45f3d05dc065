import * as Comlink from "comlink";
import { filter, firstValueFrom, Observable, race } from "rxjs";
import { GatewayError, type Clock, type SessionState } from "../shared";
import type { GatewayClient } from "./gatewayClient";
import type { WorkerLink } from "./workerLink";

/** A guild to spectate (null: none), with or without its logs. */
export interface Wish {
  guildId: string | null;
  includeLogs: boolean;
}

/** How long a tab without a token waits for another tab's login before it re-spectates nothing. */
export const SESSION_WAIT_MS = 15_000;

/**
 * The client's calls whose effect outlives them in the worker (`login`, `logout`,
 * `setTokenRefresher`, `spectate`), and what they told it, to tell a new worker if the worker
 * ends (the token stays in this page's memory, as it does in the worker's: never in storage).
 */
export type RestartRecovery = Pick<GatewayClient, "login" | "logout" | "setTokenRefresher" | "spectate"> & {
  /**
   * The guild the connection spectates, as this tab learnt it (spectating$, a batch of logs$): a
   * worker that takes over is asked for it again, by every tab that knows.
   */
  saw(guild: Wish): void;
  /**
   * A new worker accepted the tab (its subscriptions were made again): its refresher, its token
   * and its guild. A tab without a token waits for another tab's login (closing the client ends
   * the wait: `session$` errors `closed`).
   */
  restarted(): void;
  /** The worker's token changed (null: none any more): the one a new worker gets. */
  held(token: string | null): void;
};

export function createRestartRecovery(
  link: Pick<WorkerLink, "call">,
  session$: Observable<SessionState>,
  clock: Clock,
  /** Told at each `login` and `logout` call, before it goes to the worker. */
  changingUser: () => void,
): RestartRecovery {
  let token: string | null = null;
  let refresher: (() => Promise<string>) | null = null;
  /** The tab's last spectate() wish. */
  let wish: Wish | null = null;
  /** The connection's guild as this tab last learnt it. */
  let guild: Wish | null = null;

  /** Resolves once some tab logged the new worker in; rejects after SESSION_WAIT_MS or at close. */
  const someoneLogsIn = () =>
    firstValueFrom(
      race(
        session$.pipe(filter((session) => session.status === "authenticated")),
        new Observable<never>((subscriber) =>
          clock.setTimeout(
            () => subscriber.error(new GatewayError("timeout", "no tab logged the new worker in")),
            SESSION_WAIT_MS,
          ),
        ),
      ),
    );

  const recovery: RestartRecovery = {
    login: (next) => {
      changingUser();
      if (typeof next === "string") token = next;
      return link
        .call((api) => api.login(next))
        .catch((error: unknown) => {
          // A refused or malformed token is not handed to the next worker.
          if (
            error instanceof GatewayError &&
            (error.code === 401 || error.code === "bad_input") &&
            token === next
          )
            token = null;
          throw error;
        });
    },
    logout: () => {
      changingUser();
      token = wish = guild = null;
      return link.call((api) => api.logout()).then(() => undefined);
    },
    setTokenRefresher: (next) => {
      if (next !== null && typeof next != "function")
        return Promise.reject(new GatewayError("bad_input", "setTokenRefresher takes a function or null"));
      // (The tokens it gives reach every tab as the worker's token: see `held`.)
      refresher = next;
      return link.call((api) => api.setRefresher(next && Comlink.proxy(next))).then(() => undefined);
    },
    spectate: (guildId, options) => {
      const asked = { guildId, includeLogs: options?.includeLogs ?? true };
      return link
        .call((api) => api.spectate(guildId, asked))
        .then((state) => {
          wish = guild = asked;
          return state;
        });
    },
    saw(seen) {
      guild = seen;
    },
    held(next) {
      token = next;
    },
    restarted() {
      if (refresher) void recovery.setTokenRefresher(refresher).catch(() => {});
      const again = guild ?? wish;
      // This tab's token elevates the new worker; a tab without one waits for another tab's.
      const session = token ? recovery.login(token) : again ? someoneLogsIn() : null;
      void session
        ?.then(() => (again ? recovery.spectate(again.guildId, { includeLogs: again.includeLogs }) : null))
        .catch(() => {});
    },
  };
  return recovery;
}

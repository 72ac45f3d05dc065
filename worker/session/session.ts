import { GatewayError, type Cancel, type Clock, type SessionState } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";
import { DROP_ELEVATION, elevationRequest } from "./elevationRequests";
import type { LoginOutcome, SessionEffects } from "./sessionEffect";
import type { SessionEvent } from "./sessionEvent";
import { initialSession, transition } from "./sessionMachine";
import { heldOf, holderOf, loginOf, shownOf } from "./sessionPhase";
import { readClaims } from "./tokenClaims";
import { TokenRefresher, type Refresher } from "./tokenRefresher";

export type { Refresher } from "./tokenRefresher";

/** What the session needs of the requests: elevations, and holding authenticated ones back. */
export type SessionRequests = Pick<Requests, "send" | "setAuthReady" | "failAuthenticated">;

/** A login's promise once its answer is in: the machine's outcome (`logins`: the others in flight). */
function settled(
  outcome: LoginOutcome | undefined,
  logins: Map<number, Promise<SessionState>>,
): SessionState | Promise<SessionState> {
  if (outcome?.type === "resolve") return outcome.state;
  if (outcome?.type === "reject") throw outcome.error;
  const later = outcome && logins.get(outcome.to);
  if (later) return later;
  throw new GatewayError("not_authenticated", "superseded by a later login or logout");
}

/**
 * The login of the connection: the JWT lives here, in memory only. Elevates on login and
 * after every reconnect, refreshes through a page's refresher before `exp`, drops on logout.
 * The driver of the session machine (`transition`): events in, effects carried out here.
 */
export class Session {
  #machine = initialSession;
  /** The promises of the logins sent and not answered yet, by epoch. */
  readonly #logins = new Map<number, Promise<SessionState>>();
  #cancelRetry: Cancel | undefined;
  #dropped: Promise<unknown> = Promise.resolve();
  readonly #requests: SessionRequests;
  readonly #clock: Clock;
  readonly #refresher: TokenRefresher;
  readonly changed = new Signal<SessionState>();
  /** The user changed (another login or logout): per-user state must go. */
  readonly userChanged = new Signal<void>();
  /** Elevated on the current socket: after a login (`false`) or after a reconnect (`true`). */
  readonly elevated = new Signal<boolean>();

  constructor(deps: { requests: SessionRequests; clock: Clock; refreshLeadMs: number }) {
    this.#requests = deps.requests;
    this.#clock = deps.clock;
    this.#refresher = new TokenRefresher(deps.clock, deps.refreshLeadMs, {
      machine: () => this.#machine,
      loginInFlight: () => this.#loginInFlight(),
      login: (token) => this.login(token),
    });
  }

  get state(): SessionState {
    return shownOf(this.#machine.phase);
  }

  /** The user of the last successful login (null after a logout), whatever the state shows. */
  get holderId(): string | null {
    return holderOf(this.#machine.phase);
  }

  /** The error of something that needs a login now: `session_expired` after an expiry, else `not_authenticated`. */
  loginNeeded(what: string): GatewayError {
    return this.#machine.phase.name === "expired"
      ? new GatewayError("session_expired", `${what} needs a login: the session expired`)
      : new GatewayError("not_authenticated", `${what} needs a login`);
  }

  /** The token for authenticated requests (never leaves the worker otherwise). */
  currentToken(): string | null {
    return heldOf(this.#machine.phase)?.token ?? null;
  }

  /**
   * Logs in. Logins of the same user coalesce (every tab of an app logs in at start-up): each
   * caller resolves with the session of the latest one. Only another user's login, or a logout,
   * supersedes a login in flight.
   */
  login(token: unknown): Promise<SessionState> {
    try {
      const claims = readClaims(token, this.#clock.now());
      this.#dispatch({ type: "login", token: token as string, claims });
    } catch (error) {
      return Promise.reject(error);
    }
    return (
      this.#loginInFlight() ?? Promise.reject(new GatewayError("not_authenticated", "the login was cut off"))
    );
  }

  /** Drops the login everywhere; what was held for the user goes. */
  async logout(): Promise<void> {
    this.#dispatch({ type: "logout" });
    await this.#dropped;
  }

  /** The gateway said the token ran out. */
  expired(): void {
    this.#dispatch({ type: "expired" });
  }

  /** A new socket: elevate again with the token held (or expire it). */
  reconnected(attempt = 0): void {
    this.#dispatch({ type: "reconnected", attempt, now: this.#clock.now() });
  }

  /** Cancels the refresh and the elevation retry (the worker stops). */
  dispose(): void {
    this.#cancelRetry?.();
    this.#refresher.dispose();
  }

  setRefresher(tabId: string, refresher: Refresher | null): void {
    this.#refresher.set(tabId, refresher);
  }

  removeTab(tabId: string): void {
    this.#refresher.set(tabId, null);
  }

  #loginInFlight(): Promise<SessionState> | null {
    const login = loginOf(this.#machine.phase);
    return (login && this.#logins.get(login.epoch)) ?? null;
  }

  #dispatch(event: SessionEvent): SessionEffects {
    const { state, effects } = transition(this.#machine, event);
    this.#machine = state;
    this.#perform(effects);
    return effects;
  }

  /** The answer of the login sent at `event.epoch`: its promise settles as the machine says. */
  #answered(event: SessionEvent & { epoch: number }): SessionState | Promise<SessionState> {
    this.#logins.delete(event.epoch);
    return settled(this.#dispatch(event).settle, this.#logins);
  }

  /** Carries the effects out, in the order `SessionEffects` declares them (`settle`: `#answered`). */
  #perform(effects: SessionEffects): void {
    const requests = this.#requests;
    const { fail, show, refreshAt, elevated, elevate, reelevate, retry } = effects;
    if (effects.cancelRetry) this.#cancelRetry?.();
    if (effects.drop) {
      this.#refresher.cancel();
      requests.setAuthReady(false);
    }
    if (fail) requests.failAuthenticated(fail);
    if (show) this.changed.emit(show);
    if (effects.holdBack) requests.setAuthReady(false);
    if (refreshAt) this.#refresher.arm(refreshAt);
    if (effects.userChanged) this.userChanged.emit();
    if (effects.resume) this.reconnected();
    if (elevated !== undefined) {
      requests.setAuthReady(true);
      this.elevated.emit(elevated);
    }
    if (elevate) {
      const { epoch, token, claims } = elevate;
      const sub = claims.sub;
      this.#logins.set(
        epoch,
        requests.send(elevationRequest(token)).then(
          (answer) => this.#answered({ type: "loginAnswered", epoch, sub, accepted: answer.success }),
          (error: unknown) => this.#answered({ type: "loginFailed", epoch, sub, error }),
        ),
      );
    }
    if (reelevate) {
      const { epoch, attempt } = reelevate;
      requests.send(elevationRequest(reelevate.token)).then(
        (answer) => this.#dispatch({ type: "reelevated", epoch, accepted: answer.success }),
        (error: unknown) => {
          const code = error instanceof GatewayError ? error.code : 500;
          this.#dispatch({ type: "reelevationFailed", epoch, attempt, code });
        },
      );
    }
    // Not connected: the next connection starts unelevated anyway.
    if (effects.dropElevation) this.#dropped = requests.send(DROP_ELEVATION).catch(() => {});
    if (retry)
      this.#cancelRetry = this.#clock.setTimeout(() => this.reconnected(retry.attempt), retry.delayMs);
  }
}

import { GatewayError, type Cancel, type Clock, type SessionState } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";
import { dropElevationRequest, elevationRequest } from "./elevationRequests";
import { pendingLogin, type PendingLogin } from "./pendingLogin";
import type { LoginOutcome, SessionEffect } from "./sessionEffect";
import type { SessionEvent } from "./sessionEvent";
import { initialSession, transition } from "./sessionMachine";
import { heldOf, holderOf, loginOf, shownOf } from "./sessionPhase";
import { readClaims } from "./tokenClaims";
import { TokenRefresher, type Refresher } from "./tokenRefresher";

export type { Refresher } from "./tokenRefresher";

/** What the session needs of the requests: elevations, and holding authenticated ones back. */
export type SessionRequests = Pick<Requests, "send" | "setAuthReady" | "failAuthenticated">;

/**
 * The login of the connection: the JWT lives here, in memory only. Elevates on login and
 * after every reconnect, refreshes through a page's refresher before `exp`, drops on logout.
 * The driver of the session machine (`transition`): events in, effects carried out here.
 */
export class Session {
  #machine = initialSession;
  /** The promises of the logins sent and not answered yet, by epoch. */
  readonly #logins = new Map<number, PendingLogin>();
  #cancelRetry: Cancel | null = null;
  #dropped: Promise<unknown> = Promise.resolve();
  readonly #refresher: TokenRefresher;
  readonly changed = new Signal<SessionState>();
  /** The user changed (another login or logout): per-user state must go. */
  readonly userChanged = new Signal<void>();
  /** Elevated on the current socket: after a login (`false`) or after a reconnect (`true`). */
  readonly elevated = new Signal<boolean>();

  constructor(private readonly deps: { requests: SessionRequests; clock: Clock; refreshLeadMs: number }) {
    this.#refresher = new TokenRefresher({
      clock: deps.clock,
      leadMs: deps.refreshLeadMs,
      target: {
        loginInFlight: () => this.#loginInFlight(),
        epoch: () => this.#machine.epoch,
        holder: () => this.holderId,
        heldUntil: () =>
          this.#machine.phase.name === "authenticated" ? this.#machine.phase.held.session.expiresAt : null,
        login: (token) => this.login(token),
      },
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
      const claims = readClaims(token, this.deps.clock.now());
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
    this.#dispatch({ type: "reconnected", attempt, now: this.deps.clock.now() });
  }

  /** Cancels the refresh and the elevation retry (the worker stops). */
  dispose(): void {
    this.#cancelRetry?.();
    this.#cancelRetry = null;
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
    return (login && this.#logins.get(login.epoch)?.promise) ?? null;
  }

  #dispatch(event: SessionEvent): void {
    const { state, effects } = transition(this.#machine, event);
    this.#machine = state;
    for (const effect of effects) this.#perform(effect);
  }

  #perform(effect: SessionEffect): void {
    const { requests, clock } = this.deps;
    switch (effect.type) {
      case "show":
        return this.changed.emit(effect.state);
      case "authReady":
        return requests.setAuthReady(effect.ready);
      case "failAuthenticated":
        return requests.failAuthenticated(effect.error);
      case "userChanged":
        return this.userChanged.emit();
      case "elevated":
        return this.elevated.emit(effect.reconnect);
      case "elevate": {
        const { epoch, claims, token } = effect.login;
        this.#logins.set(epoch, pendingLogin());
        const sub = claims.sub;
        requests.send(elevationRequest(token)).then(
          (answer) => this.#dispatch({ type: "loginAnswered", epoch, sub, accepted: answer.success }),
          (error: unknown) => this.#dispatch({ type: "loginFailed", epoch, sub, error }),
        );
        return;
      }
      case "reelevate": {
        const { epoch, attempt } = effect;
        requests.send(elevationRequest(effect.token)).then(
          (answer) => this.#dispatch({ type: "reelevated", epoch, accepted: answer.success }),
          (error: unknown) => {
            const code = error instanceof GatewayError ? error.code : 500;
            this.#dispatch({ type: "reelevationFailed", epoch, attempt, code });
          },
        );
        return;
      }
      case "resume":
        return this.reconnected();
      case "dropElevation":
        // Not connected: the next connection starts unelevated anyway.
        this.#dropped = requests.send(dropElevationRequest()).catch(() => {});
        return;
      case "armRefresh":
        return this.#refresher.arm(effect.expiresAt);
      case "cancelRefresh":
        return this.#refresher.cancel();
      case "armRetry":
        this.#cancelRetry = clock.setTimeout(() => this.reconnected(effect.attempt), effect.delayMs);
        return;
      case "cancelRetry":
        this.#cancelRetry?.();
        this.#cancelRetry = null;
        return;
      case "settle":
        return this.#settle(effect.epoch, effect.outcome);
    }
  }

  #settle(epoch: number, outcome: LoginOutcome): void {
    const login = this.#logins.get(epoch);
    if (!login) return;
    this.#logins.delete(epoch);
    if (outcome.type === "resolve") login.resolve(outcome.state);
    else if (outcome.type === "reject") login.reject(outcome.error);
    else {
      const later = this.#logins.get(outcome.to)?.promise;
      if (later) later.then(login.resolve, login.reject);
      else login.reject(new GatewayError("not_authenticated", "superseded by a later login or logout"));
    }
  }
}

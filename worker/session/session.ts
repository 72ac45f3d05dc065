import type { RequestElevationReturnPayload, TokenClaims } from "../../src/protocol";
import { GatewayError, type Cancel, type Clock, type SessionState } from "../../src/shared";
import type { Requests } from "../gateway/requests";
import { Signal } from "../signal";
import { readClaims } from "./claims";
import { dropElevation, elevate } from "./elevation";
import { askRefreshers, refreshDelay, type Refresher } from "./refreshers";

export { readClaims } from "./claims";
export type { Refresher } from "./refreshers";

type SessionDeps = { requests: Requests; clock: Clock; refreshLeadMs: number };

/**
 * The login of the connection: the JWT lives here, in memory only. Elevates on login and
 * after every reconnect, refreshes through a page's refresher before `exp`, drops on logout.
 */
export class Session {
  #token: string | null = null;
  /** The state of the last successful login, shown again when a later login fails. */
  #lastAuthenticated: SessionState | null = null;
  /** The login in flight (the latest one), so logins of the same user coalesce. */
  #pending: { sub: string; token: string; epoch: number; promise: Promise<SessionState> } | null = null;
  #current: SessionState = { status: "anonymous" };
  #cancelRefresh: Cancel | null = null;
  readonly #refreshers = new Map<string, Refresher>();
  /** Bumped at every login/logout, so a late answer of an older one changes nothing. */
  #epoch = 0;
  /** Another user's login holds authenticated requests back until the latest login settles. */
  #heldBack = false;
  /** The user whose data the worker holds (last successful login), whatever the state shows. */
  #holder: string | null = null;
  #cancelRetry: Cancel | null = null;
  readonly #deps: SessionDeps;
  readonly changed = new Signal<SessionState>();
  /** The user changed (another login or logout): per-user state must go. */
  readonly userChanged = new Signal<void>();
  /** Elevated on the current socket: after a login (`false`) or after a reconnect (`true`). */
  readonly elevated = new Signal<boolean>();

  constructor(deps: SessionDeps) {
    this.#deps = deps;
  }

  get state(): SessionState {
    return this.#current;
  }

  /** The user of the last successful login (null after a logout), whatever the state shows. */
  get holderId(): string | null {
    return this.#holder;
  }

  /** The token for authenticated requests (never leaves the worker otherwise). */
  currentToken(): string | null {
    return this.#token;
  }

  /**
   * Logs in. Logins of the same user coalesce (every tab of an app logs in at start-up): each
   * caller resolves with the session of the latest one. Only another user's login, or a logout,
   * supersedes a login in flight.
   */
  login(token: unknown): Promise<SessionState> {
    let claims: TokenClaims;
    try {
      claims = readClaims(token, this.#deps.clock.now());
    } catch (error) {
      return Promise.reject(error);
    }
    const pending = this.#pending;
    if (pending && pending.sub === claims.sub && pending.token === token) return pending.promise;
    const entry = {
      sub: claims.sub,
      token: token as string,
      epoch: this.#epoch + 1,
      promise: Promise.resolve(this.#current),
    };
    entry.promise = this.#elevateAs(token as string, claims).finally(() => {
      if (this.#pending === entry) this.#pending = null;
    });
    this.#pending = entry;
    return entry.promise;
  }

  /** A later login in flight of the same user, which a login superseded at `epoch` hands over to. */
  #laterLoginOf(sub: string, epoch: number): Promise<SessionState> | null {
    const later = this.#pending;
    return later && later.sub === sub && later.epoch > epoch ? later.promise : null;
  }

  async #elevateAs(token: string, claims: TokenClaims): Promise<SessionState> {
    const previous = this.#current;
    const sameUser = this.#holder === claims.sub;
    const epoch = ++this.#epoch;
    if (!sameUser || previous.status !== "authenticated")
      this.#set({ status: "authenticating", userId: claims.sub });
    // Requests made from now on are the new user's: none may go out with the previous token.
    if (!sameUser) {
      this.#heldBack = true;
      this.#deps.requests.setAuthReady(false);
    }
    /**
     * The latest login failed: if another user's login held requests back (this one, or one it
     * superseded), the session goes on with its own token. That other login may have elevated
     * the socket before it was superseded, so the socket is elevated again with the session's
     * token first; its requests go once that is answered.
     */
    const resume = () => {
      if (!this.#heldBack) return;
      this.#heldBack = false;
      this.reconnected();
    };
    let answer: RequestElevationReturnPayload;
    try {
      answer = await elevate(this.#deps.requests, token);
    } catch (error) {
      if (epoch === this.#epoch) {
        this.#set(this.#fallback());
        resume();
      }
      const later = epoch !== this.#epoch ? this.#laterLoginOf(claims.sub, epoch) : null;
      if (later) return later;
      throw error;
    }
    if (epoch !== this.#epoch) {
      const later = this.#laterLoginOf(claims.sub, epoch);
      if (later) return later;
      throw new GatewayError("not_authenticated", "superseded by a later login or logout");
    }
    if (!answer.success) {
      this.#set(this.#fallback());
      resume();
      throw new GatewayError(401, "the gateway refused the token");
    }
    // Compared with the holder, not the shown state: two logins in a row as B after A still purge A.
    const userChanged = this.#holder !== null && !sameUser;
    this.#holder = claims.sub;
    // Nothing of the previous user may reach the next: fail what is in flight, drop what is held.
    if (userChanged)
      this.#deps.requests.failAuthenticated(new GatewayError("not_authenticated", "another user logged in"));
    this.#token = token;
    this.#set(
      (this.#lastAuthenticated = {
        status: "authenticated",
        userId: claims.sub,
        permissions: claims.permissions,
        guilds: claims.guilds,
        admin: claims.admin === true,
        expiresAt: claims.exp * 1000,
      }),
    );
    this.#armRefresh(claims.exp * 1000);
    if (userChanged) this.userChanged.emit();
    this.#heldBack = false;
    this.#deps.requests.setAuthReady(true);
    this.elevated.emit(false);
    return this.#current;
  }

  /** Drops the login everywhere; what was held for the user goes. */
  async logout(): Promise<void> {
    this.#epoch++;
    this.#pending = null;
    const hadUser = this.#current.status !== "anonymous" || this.#holder !== null;
    this.#holder = null;
    this.#clearToken(new GatewayError("not_authenticated", "logged out"));
    this.#set({ status: "anonymous" });
    if (hadUser) this.userChanged.emit();
    await dropElevation(this.#deps.requests);
  }

  /** The gateway said the token ran out. */
  expired(): void {
    if (this.#current.status !== "authenticated" && this.#current.status !== "authenticating") return;
    const userId = this.#current.userId;
    this.#epoch++;
    this.#clearToken(new GatewayError("session_expired", "the session expired"));
    this.#set({ status: "expired", userId });
  }

  /** A new socket: elevate again with the token held (or expire it). */
  reconnected(attempt = 0): void {
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    const token = this.#token;
    // Another user's login is under way: it elevates the socket; if it fails, the session's
    // token elevates it again then (resume).
    if (!token || this.#heldBack) return;
    try {
      readClaims(token, this.#deps.clock.now());
    } catch {
      this.expired();
      return;
    }
    const epoch = this.#epoch;
    elevate(this.#deps.requests, token).then(
      (answer) => {
        if (epoch !== this.#epoch) return;
        if (!answer.success) return this.expired();
        this.#deps.requests.setAuthReady(true);
        this.elevated.emit(true);
      },
      (error: unknown) => {
        if (epoch !== this.#epoch) return;
        const code = error instanceof GatewayError ? error.code : 500;
        if (code === 401) return this.expired();
        // Disconnected again: the next connection tries again. Anything else (timeout, 429,
        // 500): try again on this one, backing off, rather than leave requests waiting.
        if (code === "disconnected" || code === "closed") return;
        const delay = Math.min(30_000, 1000 * 2 ** attempt);
        this.#cancelRetry = this.#deps.clock.setTimeout(() => this.reconnected(attempt + 1), delay);
      },
    );
  }

  /** Tabs with a refresher. */
  get refreshers(): number {
    return this.#refreshers.size;
  }

  setRefresher(tabId: string, refresher: Refresher | null): void {
    if (refresher) this.#refreshers.set(tabId, refresher);
    else this.#refreshers.delete(tabId);
  }

  removeTab(tabId: string): void {
    this.#refreshers.delete(tabId);
  }

  #armRefresh(expiresAt: number): void {
    this.#cancelRefresh?.();
    this.#cancelRefresh = this.#deps.clock.setTimeout(
      () => void this.#refresh(),
      refreshDelay(expiresAt, this.#deps.clock.now(), this.#deps.refreshLeadMs),
    );
  }

  async #refresh(): Promise<void> {
    // A login in flight decides the session (another user's, or a fresh token): no refresh now,
    // but once it has settled, if the session still needs one.
    if (this.#refreshLater()) return;
    const epoch = this.#epoch;
    await askRefreshers(this.#refreshers.values(), this.#deps.clock, (token) => {
      if (this.#refreshLater() || epoch !== this.#epoch) return;
      const claims = readClaims(token, this.#deps.clock.now());
      // Only the user whose session this is: a tab's refresher of another user is skipped.
      return (this.#holder === null || claims.sub === this.#holder) && this.login(token);
    });
  }

  /**
   * Whether a login is in flight (another user's, or a fresh token): it decides the session, and
   * the refresh is armed again once it settled, if the session's token stays.
   */
  #refreshLater(): boolean {
    const login = this.#pending?.promise;
    void login
      ?.catch(() => {})
      .then(() => {
        const session = this.#lastAuthenticated;
        if (this.#token !== null && !this.#pending && session?.status === "authenticated")
          this.#armRefresh(session.expiresAt);
      });
    return login !== undefined;
  }

  #clearToken(reason: GatewayError): void {
    this.#token = null;
    this.#heldBack = false;
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    this.#cancelRefresh?.();
    this.#cancelRefresh = null;
    this.#deps.requests.setAuthReady(false);
    this.#deps.requests.failAuthenticated(reason);
  }

  /**
   * What a failed login leaves: the session still held (its token is unchanged), an expired one
   * (a holder without a token), or none. Never the "authenticating" of an earlier login.
   */
  #fallback(): SessionState {
    if (this.#token && this.#lastAuthenticated) return this.#lastAuthenticated;
    if (this.#holder) return { status: "expired", userId: this.#holder };
    return { status: "anonymous" };
  }

  #set(state: SessionState): void {
    this.#current = state;
    this.changed.emit(state);
  }
}

import type { SessionState } from "../../src/shared";
import { GatewayError, type Clock } from "../../src/shared";
import type { PoolCache } from "../cache/poolCache";
import type { Session } from "./session";
import { readClaims } from "./tokenClaims";

/** What tabs asked to spectate, saved to put back when a login that reset it fails. */
export interface SpectateWishes {
  saveWishes(): unknown;
  restoreWishes(saved: unknown): void;
  /** The session ended (`keepWish` false: every wish goes too). */
  reset(keepWish: boolean): void;
}

/** What a user's data is made of, apart from the session: pools, the cache partition, waits. */
export interface UserDataDeps {
  clock: Clock;
  session: Session;
  spectator: SpectateWishes;
  pools: { restoreAll(): void; purge(error: UserDropError | null): void };
  cache(): PoolCache | null;
  failAuthenticated(error: GatewayError): void;
  /** Cancels the restored pools' waits for their guild's spectate (they are the previous user's). */
  clearWaits(): void;
}

/** What subscribers see after the user's data went, until a login. */
export type UserDropError = { code: "not_authenticated" | 401; message: string };

/**
 * The user whose data the worker holds (pools in memory, the cache partition it reads and writes)
 * and every switch of it: a login shows its user's cached pools at once, a logout or another
 * user's login drops them, a failed login puts the previous user's back.
 */
export class UserData {
  #owner: string | null = null;
  readonly #deps: UserDataDeps;

  constructor(deps: UserDataDeps) {
    this.#deps = deps;
  }

  /** The session's user changed (a logout, another user's login): their data goes. */
  userChanged(): void {
    const state = this.#deps.session.state;
    // A login as another user switched the data over when it was called (switchTo).
    if (state.status === "authenticated" && state.userId === this.#owner) return;
    this.drop({ code: "not_authenticated", message: "logged out" });
  }

  /** The user whose pools the worker holds and whose partition it reads and writes. */
  get owner(): string | null {
    return this.#owner;
  }

  /**
   * Logs in. From the moment it is called the worker holds this user's data only: another
   * user's pools go (memory and disk) and this user's cached pools are shown while the
   * gateway answers. A refusal withdraws them (and their partition, unless the token expired).
   */
  async login(token: unknown): Promise<SessionState> {
    const { session, clock, spectator, cache } = this.#deps;
    const claims = readClaims(token, clock.now());
    // The user the socket is elevated as, and what its tabs asked to spectate: back to them if
    // this login fails.
    const holder = session.holderId;
    const wishes = spectator.saveWishes();
    // Its synchronous part shows the new user as authenticating: nothing loads with the old token.
    const login = session.login(token);
    this.switchTo(claims.sub);
    try {
      const state = await login;
      // The previous user's partition goes once the new user is in.
      if (holder !== null && holder !== claims.sub) void cache()?.deleteUser(holder);
      return state;
    } catch (error) {
      // Still this user's data, but not this user's session: undo (a later login of another
      // user, or a logout, already switched it).
      if (this.#owner === claims.sub && session.holderId !== claims.sub) {
        const refused = error instanceof GatewayError && error.code === 401;
        const expired = claims.exp * 1000 <= clock.now();
        if (refused && !expired) void cache()?.deleteUser(claims.sub);
        if (holder !== null) {
          // The socket is still the previous user's: their pools, guild and logs come back.
          this.drop(null);
          this.switchTo(holder);
          spectator.restoreWishes(wishes);
          session.elevated.emit(false);
        } else if (refused) this.drop({ code: 401, message: "the gateway refused the token" });
        // Not refused (offline, timeout): the cached copies stay on show, stale, until a login.
      }
      throw error;
    }
  }

  /**
   * Ends the session and deletes its user's partition at once: the gateway's answer to
   * `drop_elevation` may take a round trip, or a timeout offline, and the worker may be gone by
   * then (the last tab closed right after the logout).
   */
  async endSession(): Promise<void> {
    const owner = this.#owner;
    // Its synchronous part forgets the token and the user's data (userChanged → drop).
    const dropped = this.#deps.session.logout();
    const deleted =
      owner !== null && this.#owner !== owner ? this.#deps.cache()?.deleteUser(owner) : undefined;
    await Promise.all([dropped, deleted]);
  }

  /** The worker now holds `userId`'s data: another user's goes, theirs is restored from disk. */
  switchTo(userId: string): void {
    if (this.#owner === userId) return;
    if (this.#owner !== null) {
      // Nothing of the previous user may arrive any more: what is in flight fails, what is held goes.
      this.#deps.failAuthenticated(new GatewayError("not_authenticated", "another user is logging in"));
      this.drop(null);
    }
    this.#owner = userId;
    this.#deps.cache()?.setUser(userId);
    this.#deps.pools.restoreAll();
  }

  /** Forgets everything held for the current user (`error`: what subscribers see until a login). */
  drop(error: UserDropError | null): void {
    // A pool's catch-up grace is the previous user's: its refetch must not fire for the next one.
    this.#deps.clearWaits();
    this.#deps.spectator.reset(false);
    this.#owner = null;
    this.#deps.cache()?.setUser(null);
    this.#deps.pools.purge(error);
  }
}

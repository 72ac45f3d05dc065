import { GatewayError, type Clock, type SessionState } from "../../src/shared";
import type { PoolCache } from "../cache/poolCache";
import type { Requests } from "../gateway/requests";
import type { CatchUpGraces } from "../pools/catchUpGrace";
import type { Pools } from "../pools/pools";
import type { Spectator } from "../spectate/spectator";
import { readClaims, type Session } from "./session";

/** The user whose data the worker holds, and the catch-up graces of that user's restored pools. */
export interface UserData {
  /** The user whose pools the worker holds and whose partition it reads and writes. */
  owner: string | null;
  graces: CatchUpGraces;
}

/** What a user's data is made of apart from its owner (a type: the hub itself is passed). */
export interface UserDataSources {
  requests: Pick<Requests, "failAuthenticated">;
  session: Pick<Session, "state" | "holderId" | "login" | "logout" | "elevated">;
  spectator: Pick<Spectator, "saveWishes" | "restoreWishes" | "reset">;
  pools: Pick<Pools, "restoreAll" | "purge">;
  cache: Pick<PoolCache, "setUser" | "deleteUser"> | null;
  options: { clock: Clock };
}

/** The session's user changed (a logout, another user's login): their data goes. */
export function userChanged(hub: UserDataSources, user: UserData): void {
  const state = hub.session.state;
  // A login as another user switched the data over when it was called (switchUser).
  if (state.status === "authenticated" && state.userId === user.owner) return;
  dropUserData(hub, user, { code: "not_authenticated", message: "logged out" });
}

/**
 * Logs in. From the moment it is called the worker holds this user's data only: another
 * user's pools go (memory and disk) and this user's cached pools are shown while the
 * gateway answers. A refusal withdraws them (and their partition, unless the token expired).
 */
export async function loginUser(hub: UserDataSources, user: UserData, token: unknown): Promise<SessionState> {
  const { session, spectator, options } = hub;
  const claims = readClaims(token, options.clock.now());
  // The user the socket is elevated as, and what its tabs asked to spectate: back to them if
  // this login fails.
  const holder = session.holderId;
  const wishes = spectator.saveWishes();
  // Its synchronous part shows the new user as authenticating: nothing loads with the old token.
  const login = session.login(token);
  switchUser(hub, user, claims.sub);
  try {
    const state = await login;
    // The previous user's partition goes once the new user is in.
    if (holder !== null && holder !== claims.sub) void hub.cache?.deleteUser(holder);
    return state;
  } catch (error) {
    // Still this user's data, but not this user's session: undo (a later login of another
    // user, or a logout, already switched it).
    if (user.owner === claims.sub && session.holderId !== claims.sub) {
      const refused = error instanceof GatewayError && error.code === 401;
      const expired = claims.exp * 1000 <= options.clock.now();
      if (refused && !expired) void hub.cache?.deleteUser(claims.sub);
      if (holder !== null) {
        // The socket is still the previous user's: their pools, guild and logs come back.
        dropUserData(hub, user, null);
        switchUser(hub, user, holder);
        spectator.restoreWishes(wishes);
        session.elevated.emit(false);
      } else if (refused) dropUserData(hub, user, { code: 401, message: "the gateway refused the token" });
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
export async function endSession(hub: UserDataSources, user: UserData): Promise<void> {
  const owner = user.owner;
  // Its synchronous part forgets the token and the user's data (userChanged → dropUserData).
  const dropped = hub.session.logout();
  const deleted = owner !== null && user.owner !== owner ? hub.cache?.deleteUser(owner) : undefined;
  await Promise.all([dropped, deleted]);
}

/** The worker now holds `userId`'s data: another user's goes, theirs is restored from disk. */
function switchUser(hub: UserDataSources, user: UserData, userId: string): void {
  if (user.owner === userId) return;
  if (user.owner !== null) {
    // Nothing of the previous user may arrive any more: what is in flight fails, what is held goes.
    hub.requests.failAuthenticated(new GatewayError("not_authenticated", "another user is logging in"));
    dropUserData(hub, user, null);
  }
  user.owner = userId;
  hub.cache?.setUser(userId);
  hub.pools.restoreAll();
}

/** Forgets everything held for the current user (`error`: what subscribers see until a login). */
function dropUserData(
  hub: UserDataSources,
  user: UserData,
  error: { code: "not_authenticated" | 401; message: string } | null,
): void {
  // A pool's catch-up grace is the previous user's: its refetch must not fire for the next one.
  for (const cancel of user.graces.values()) cancel();
  user.graces.clear();
  hub.spectator.reset(false);
  user.owner = null;
  hub.cache?.setUser(null);
  hub.pools.purge(error);
}

import type { TokenClaims } from "../../src/protocol";
import type { SessionState } from "../../src/shared";

/** What tabs see of a session that holds a token. */
export type AuthenticatedState = Extract<SessionState, { status: "authenticated" }>;

/** A token the gateway accepted, in memory only, and the session it stands for. */
export interface Held {
  token: string;
  session: AuthenticatedState;
}

/** A login sent to the gateway and not answered yet; `epoch` tells its answer apart from older ones. */
export interface LoginInFlight {
  epoch: number;
  token: string;
  claims: TokenClaims;
}

/**
 * Where the session stands: a closed union, one phase at a time (see `transition` for the moves).
 * - `anonymous`: no user.
 * - `authenticated`: a token in use; its user's data is held.
 * - `refreshing`: the same user logs in again (a refresh, a fresh token): the session stays on
 *   show and in use meanwhile.
 * - `switching`: another user logs in while a session is held: authenticated requests are held
 *   back (none may go with the previous token); a failure goes back to `held`, re-elevating it.
 * - `loggingIn`: a login with no token held: `holder` is the user whose data the worker holds
 *   (an expired session's), if any.
 * - `expired`: the token ran out (the gateway said so); `holder` still names the user whose data
 *   is held. `orphan` is a login that was in flight then: its answer no longer counts, but
 *   logins of the same token join it until it settles.
 */
export type SessionPhase =
  | { name: "anonymous" }
  | { name: "authenticated"; held: Held }
  | { name: "refreshing"; held: Held; login: LoginInFlight }
  | { name: "switching"; held: Held; login: LoginInFlight }
  | { name: "loggingIn"; holder: string | null; login: LoginInFlight }
  | { name: "expired"; userId: string; holder: string | null; orphan: LoginInFlight | null };

export const ANONYMOUS: SessionPhase = { name: "anonymous" };

const ANONYMOUS_STATE: SessionState = { status: "anonymous" };

/** What tabs are shown in `phase`. */
export function shownOf(phase: SessionPhase): SessionState {
  switch (phase.name) {
    case "anonymous":
      return ANONYMOUS_STATE;
    case "authenticated":
    case "refreshing":
      return phase.held.session;
    case "switching":
    case "loggingIn":
      return { status: "authenticating", userId: phase.login.claims.sub };
    case "expired":
      return { status: "expired", userId: phase.userId };
  }
}

/** The token held (authenticated requests go with it), if any. */
export function heldOf(phase: SessionPhase): Held | null {
  return "held" in phase ? phase.held : null;
}

/** The token held if requests may go with it now (not held back by another user's login). */
export function servingOf(phase: SessionPhase): Held | null {
  return phase.name === "switching" ? null : heldOf(phase);
}

/** The user of the last successful login (null after a logout), whatever the phase shows. */
export function holderOf(phase: SessionPhase): string | null {
  return "held" in phase ? phase.held.session.userId : "holder" in phase ? phase.holder : null;
}

/** The login whose answer decides the session, if one is in flight. */
export function activeLoginOf(phase: SessionPhase): LoginInFlight | null {
  return "login" in phase ? phase.login : null;
}

/** The latest login not settled yet (an expired session's orphan too): logins of its token join it. */
export function loginOf(phase: SessionPhase): LoginInFlight | null {
  return "orphan" in phase ? phase.orphan : activeLoginOf(phase);
}

/** The shown state of a token's claims once the gateway accepted it. */
export function sessionOf(claims: TokenClaims): AuthenticatedState {
  return {
    status: "authenticated",
    userId: claims.sub,
    permissions: claims.permissions,
    guilds: claims.guilds,
    admin: claims.admin === true,
    expiresAt: claims.exp * 1000,
  };
}

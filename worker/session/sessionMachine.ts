import type { TokenClaims } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import type { SessionEffects } from "./sessionEffect";
import type { SessionEvent } from "./sessionEvent";
import {
  ANONYMOUS,
  activeLoginOf,
  heldOf,
  holderOf,
  loginOf,
  servingOf,
  sessionOf,
  shownOf,
  type LoginInFlight,
  type SessionPhase,
} from "./sessionPhase";

/** The phase, and the epoch bumped at every login, logout and expiry: older answers change nothing. */
export interface SessionMachine {
  phase: SessionPhase;
  epoch: number;
}

export const initialSession: SessionMachine = { phase: ANONYMOUS, epoch: 0 };

export interface Transition {
  state: SessionMachine;
  effects: SessionEffects;
}

const stay = (state: SessionMachine, effects: SessionEffects = {}): Transition => ({ state, effects });

const move = (phase: SessionPhase, epoch: number, effects: SessionEffects): Transition => ({
  state: { phase, epoch },
  effects,
});

function login(state: SessionMachine, token: string, claims: TokenClaims): Transition {
  const { phase } = state;
  // Logins of the same token (so of the same user) coalesce: every tab of an app logs in at start-up.
  if (loginOf(phase)?.token === token) return stay(state);
  const next: LoginInFlight = { epoch: state.epoch + 1, token, claims };
  const holder = holderOf(phase);
  const sameUser = holder === claims.sub;
  const held = heldOf(phase);
  const to: SessionPhase = !held
    ? { name: "loggingIn", holder, login: next }
    : sameUser && servingOf(phase)
      ? { name: "refreshing", held, login: next }
      : { name: "switching", held, login: next };
  return move(to, next.epoch, {
    // A refresh keeps the session on show.
    show: to.name === "refreshing" ? undefined : shownOf(to),
    // Requests made from now on are the new user's: none may go out with the previous token.
    holdBack: sameUser ? undefined : true,
    elevate: next,
  });
}

/**
 * An answer (or failure) of a login superseded since: it hands over to a later login of the same
 * user still in flight, else it fails. An expired session's orphan goes once its answer is in.
 */
function superseded(state: SessionMachine, epoch: number, sub: string, error: unknown): Transition {
  const { phase } = state;
  const later = loginOf(phase);
  const effects: SessionEffects = {
    settle:
      later?.claims.sub === sub && later.epoch > epoch
        ? { type: "handOver", to: later.epoch }
        : { type: "reject", error },
  };
  return phase.name === "expired" && phase.orphan?.epoch === epoch
    ? move({ ...phase, orphan: null }, state.epoch, effects)
    : stay(state, effects);
}

// The latest login is the one in flight: its epoch is the machine's (`failed`, `accepted`).

/** The latest login failed: back to the session held (its token unchanged), an expired one, or none. */
function failed({ phase, epoch }: SessionMachine, error: unknown): Transition {
  const holder = holderOf(phase);
  const held = heldOf(phase);
  const to: SessionPhase = held
    ? { name: "authenticated", held }
    : holder
      ? { name: "expired", userId: holder, holder, orphan: null }
      : ANONYMOUS;
  return move(to, epoch, {
    show: shownOf(to),
    // Another user's login may have elevated the socket before it was superseded: the session's
    // token elevates it again, and its requests go once that is answered.
    resume: phase.name === "switching" || undefined,
    settle: { type: "reject", error },
  });
}

function accepted({ phase, epoch }: SessionMachine, login: LoginInFlight): Transition {
  const holder = holderOf(phase);
  const session = sessionOf(login.claims);
  // Compared with the holder, not the shown state: two logins in a row as B after A still purge A.
  const userChanged = (holder !== null && holder !== login.claims.sub) || undefined;
  return move({ name: "authenticated", held: { token: login.token, session } }, epoch, {
    // Nothing of the previous user may reach the next: fail what is in flight, drop what is held.
    fail: userChanged && new GatewayError("not_authenticated", "another user logged in"),
    show: session,
    refreshAt: session.expiresAt,
    userChanged,
    elevated: false,
    settle: { type: "resolve", state: session },
  });
}

function logout({ phase, epoch }: SessionMachine): Transition {
  return move(ANONYMOUS, epoch + 1, {
    cancelRetry: true,
    drop: true,
    fail: new GatewayError("not_authenticated", "logged out"),
    show: shownOf(ANONYMOUS),
    userChanged: phase.name !== "anonymous" || undefined,
    dropElevation: true,
  });
}

/** The token ran out (refused unless the phase shows someone authenticated or authenticating). */
function expire(state: SessionMachine): Transition {
  const { phase } = state;
  const shown = shownOf(phase);
  if (shown.status !== "authenticated" && shown.status !== "authenticating") return stay(state);
  const to: SessionPhase = {
    name: "expired",
    userId: shown.userId,
    holder: holderOf(phase),
    orphan: activeLoginOf(phase),
  };
  return move(to, state.epoch + 1, {
    cancelRetry: true,
    drop: true,
    fail: new GatewayError("session_expired", "the session expired"),
    show: shownOf(to),
  });
}

function reconnected(state: SessionMachine, attempt: number, now: number): Transition {
  // Another user's login is under way (switching): it elevates the socket; if it fails, the
  // session's token elevates it again then (resume).
  const held = servingOf(state.phase);
  if (held && held.session.expiresAt <= now) return expire(state);
  return stay(state, {
    cancelRetry: true,
    reelevate: held ? { epoch: state.epoch, token: held.token, attempt } : undefined,
  });
}

function reelevationFailed(state: SessionMachine, code: GatewayError["code"], attempt: number): Transition {
  if (code === 401) return expire(state);
  // Disconnected again: the next connection tries again. Anything else (timeout, 429, 500): try
  // again on this one, backing off, rather than leave requests waiting.
  if (code === "disconnected" || code === "closed") return stay(state);
  return stay(state, { retry: { attempt: attempt + 1, delayMs: Math.min(30_000, 1000 * 2 ** attempt) } });
}

/** Pure: where `event` takes the session, and what the driver must do about it. */
export function transition(state: SessionMachine, event: SessionEvent): Transition {
  const current = activeLoginOf(state.phase);
  switch (event.type) {
    case "login":
      return login(state, event.token, event.claims);
    case "loginAnswered":
      if (current?.epoch !== event.epoch)
        return superseded(
          state,
          event.epoch,
          event.sub,
          new GatewayError("not_authenticated", "superseded by a later login or logout"),
        );
      return event.accepted
        ? accepted(state, current)
        : failed(state, new GatewayError(401, "the gateway refused the token"));
    case "loginFailed":
      if (current?.epoch !== event.epoch) return superseded(state, event.epoch, event.sub, event.error);
      return failed(state, event.error);
    case "logout":
      return logout(state);
    case "expired":
      return expire(state);
    case "reconnected":
      return reconnected(state, event.attempt, event.now);
    case "reelevated":
      if (event.epoch !== state.epoch) return stay(state);
      return event.accepted ? stay(state, { elevated: true }) : expire(state);
    case "reelevationFailed":
      if (event.epoch !== state.epoch) return stay(state);
      return reelevationFailed(state, event.code, event.attempt);
  }
}

import type { TokenClaims } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import type { LoginOutcome, SessionEffect } from "./sessionEffect";
import type { SessionEvent } from "./sessionEvent";
import {
  activeLoginOf,
  heldOf,
  holderOf,
  loginOf,
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

export const initialSession: SessionMachine = { phase: { name: "anonymous" }, epoch: 0 };

export interface Transition {
  state: SessionMachine;
  effects: SessionEffect[];
}

const stay = (state: SessionMachine, effects: SessionEffect[] = []): Transition => ({ state, effects });

/** Forget the token: no retry, no refresh, no authenticated request (what is in flight fails). */
function dropToken(error: GatewayError): SessionEffect[] {
  return [
    { type: "cancelRetry" },
    { type: "cancelRefresh" },
    { type: "authReady", ready: false },
    { type: "failAuthenticated", error },
  ];
}

function login(state: SessionMachine, token: string, claims: TokenClaims): Transition {
  const { phase } = state;
  const joined = loginOf(phase);
  // Logins of the same user with the same token coalesce (every tab of an app logs in at start-up).
  if (joined && joined.claims.sub === claims.sub && joined.token === token) return stay(state);
  const epoch = state.epoch + 1;
  const next: LoginInFlight = { epoch, token, claims };
  const holder = holderOf(phase);
  const sameUser = holder === claims.sub;
  const held = heldOf(phase);
  const quiet = sameUser && (phase.name === "authenticated" || phase.name === "refreshing");
  const effects: SessionEffect[] = [];
  let to: SessionPhase;
  if (quiet && held) to = { name: "refreshing", held, login: next };
  else if (held) to = { name: "switching", held, login: next };
  else to = { name: "loggingIn", holder, login: next };
  if (!quiet) effects.push({ type: "show", state: shownOf(to) });
  // Requests made from now on are the new user's: none may go out with the previous token.
  if (!sameUser) effects.push({ type: "authReady", ready: false });
  effects.push({ type: "elevate", login: next });
  return { state: { phase: to, epoch }, effects };
}

/**
 * An answer (or failure) of a login superseded since: it hands over to a later login of the same
 * user still in flight, else it fails. An expired session's orphan goes once its answer is in.
 */
function superseded(state: SessionMachine, epoch: number, sub: string, error: unknown): Transition {
  const { phase } = state;
  const later = loginOf(phase);
  const outcome: LoginOutcome =
    later && later.claims.sub === sub && later.epoch > epoch
      ? { type: "handOver", to: later.epoch }
      : { type: "reject", error };
  const next: SessionMachine =
    phase.name === "expired" && phase.orphan?.epoch === epoch
      ? { ...state, phase: { ...phase, orphan: null } }
      : state;
  return stay(next, [{ type: "settle", epoch, outcome }]);
}

/** The latest login failed: back to the session held (its token unchanged), an expired one, or none. */
function failed(state: SessionMachine, epoch: number, error: unknown): Transition {
  const { phase } = state;
  const holder = holderOf(phase);
  const held = heldOf(phase);
  const to: SessionPhase = held
    ? { name: "authenticated", held }
    : holder
      ? { name: "expired", userId: holder, holder, orphan: null }
      : { name: "anonymous" };
  const effects: SessionEffect[] = [{ type: "show", state: shownOf(to) }];
  // Another user's login may have elevated the socket before it was superseded: the session's
  // token elevates it again, and its requests go once that is answered.
  if (phase.name === "switching") effects.push({ type: "resume" });
  effects.push({ type: "settle", epoch, outcome: { type: "reject", error } });
  return { state: { ...state, phase: to }, effects };
}

function accepted(state: SessionMachine, login: LoginInFlight): Transition {
  const holder = holderOf(state.phase);
  const session = sessionOf(login.claims);
  // Compared with the holder, not the shown state: two logins in a row as B after A still purge A.
  const userChanged = holder !== null && holder !== login.claims.sub;
  const effects: SessionEffect[] = [];
  // Nothing of the previous user may reach the next: fail what is in flight, drop what is held.
  if (userChanged)
    effects.push({
      type: "failAuthenticated",
      error: new GatewayError("not_authenticated", "another user logged in"),
    });
  effects.push({ type: "show", state: session }, { type: "armRefresh", expiresAt: session.expiresAt });
  if (userChanged) effects.push({ type: "userChanged" });
  effects.push(
    { type: "authReady", ready: true },
    { type: "elevated", reconnect: false },
    { type: "settle", epoch: login.epoch, outcome: { type: "resolve", state: session } },
  );
  return {
    state: { ...state, phase: { name: "authenticated", held: { token: login.token, session } } },
    effects,
  };
}

function answered(
  state: SessionMachine,
  event: { epoch: number; sub: string; accepted: boolean },
): Transition {
  const current = activeLoginOf(state.phase);
  if (current?.epoch !== event.epoch)
    return superseded(
      state,
      event.epoch,
      event.sub,
      new GatewayError("not_authenticated", "superseded by a later login or logout"),
    );
  if (!event.accepted)
    return failed(state, event.epoch, new GatewayError(401, "the gateway refused the token"));
  return accepted(state, current);
}

function logout(state: SessionMachine): Transition {
  const hadUser = state.phase.name !== "anonymous";
  const to: SessionPhase = { name: "anonymous" };
  const effects: SessionEffect[] = [
    ...dropToken(new GatewayError("not_authenticated", "logged out")),
    { type: "show", state: shownOf(to) },
  ];
  if (hadUser) effects.push({ type: "userChanged" });
  effects.push({ type: "dropElevation" });
  return { state: { phase: to, epoch: state.epoch + 1 }, effects };
}

/** The token ran out (refused unless the phase shows someone authenticated or authenticating). */
function expire(state: SessionMachine, effects: SessionEffect[] = []): Transition {
  const { phase } = state;
  const shown = shownOf(phase);
  if (shown.status !== "authenticated" && shown.status !== "authenticating") return stay(state, effects);
  const to: SessionPhase = {
    name: "expired",
    userId: shown.userId,
    holder: holderOf(phase),
    orphan: activeLoginOf(phase),
  };
  return {
    state: { phase: to, epoch: state.epoch + 1 },
    effects: [
      ...effects,
      ...dropToken(new GatewayError("session_expired", "the session expired")),
      { type: "show", state: shownOf(to) },
    ],
  };
}

function reconnected(state: SessionMachine, attempt: number, now: number): Transition {
  const effects: SessionEffect[] = [{ type: "cancelRetry" }];
  const { phase } = state;
  // Another user's login is under way (switching): it elevates the socket; if it fails, the
  // session's token elevates it again then (resume).
  if (phase.name !== "authenticated" && phase.name !== "refreshing") return stay(state, effects);
  if (phase.held.session.expiresAt <= now) return expire(state, effects);
  effects.push({ type: "reelevate", epoch: state.epoch, token: phase.held.token, attempt });
  return stay(state, effects);
}

function reelevationFailed(state: SessionMachine, code: GatewayError["code"], attempt: number): Transition {
  if (code === 401) return expire(state);
  // Disconnected again: the next connection tries again. Anything else (timeout, 429, 500): try
  // again on this one, backing off, rather than leave requests waiting.
  if (code === "disconnected" || code === "closed") return stay(state);
  return stay(state, [
    { type: "armRetry", attempt: attempt + 1, delayMs: Math.min(30_000, 1000 * 2 ** attempt) },
  ]);
}

/** Pure: where `event` takes the session, and what the driver must do about it. */
export function transition(state: SessionMachine, event: SessionEvent): Transition {
  switch (event.type) {
    case "login":
      return login(state, event.token, event.claims);
    case "loginAnswered":
      return answered(state, event);
    case "loginFailed":
      if (activeLoginOf(state.phase)?.epoch !== event.epoch)
        return superseded(state, event.epoch, event.sub, event.error);
      return failed(state, event.epoch, event.error);
    case "logout":
      return logout(state);
    case "expired":
      return expire(state);
    case "reconnected":
      return reconnected(state, event.attempt, event.now);
    case "reelevated":
      if (event.epoch !== state.epoch) return stay(state);
      if (!event.accepted) return expire(state);
      return stay(state, [
        { type: "authReady", ready: true },
        { type: "elevated", reconnect: true },
      ]);
    case "reelevationFailed":
      if (event.epoch !== state.epoch) return stay(state);
      return reelevationFailed(state, event.code, event.attempt);
  }
}

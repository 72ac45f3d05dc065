import type { GatewayError, SessionState } from "../../src/shared";
import type { LoginInFlight } from "./sessionPhase";

/** How a login's promise settles: its own answer, or the answer of a later login it hands over to. */
export type LoginOutcome =
  | { type: "resolve"; state: SessionState }
  | { type: "reject"; error: unknown }
  | { type: "handOver"; to: number };

/** What the driver must do after a transition, in order. */
export type SessionEffect =
  /** Tabs see `state` (the phase's). */
  | { type: "show"; state: SessionState }
  | { type: "authReady"; ready: boolean }
  | { type: "failAuthenticated"; error: GatewayError }
  /** Per-user state must go. */
  | { type: "userChanged" }
  /** Elevated on the current socket: after a login (`false`) or a re-elevation (`true`). */
  | { type: "elevated"; reconnect: boolean }
  /** Send the login (request_elevation); its answer comes back as loginAnswered / loginFailed. */
  | { type: "elevate"; login: LoginInFlight }
  /** Send the held token again; its answer comes back as reelevated / reelevationFailed. */
  | { type: "reelevate"; epoch: number; token: string; attempt: number }
  /** A held-back login failed: re-elevate the session held (a `reconnected` at attempt 0). */
  | { type: "resume" }
  | { type: "dropElevation" }
  | { type: "armRefresh"; expiresAt: number }
  | { type: "cancelRefresh" }
  | { type: "armRetry"; attempt: number; delayMs: number }
  | { type: "cancelRetry" }
  | { type: "settle"; epoch: number; outcome: LoginOutcome };

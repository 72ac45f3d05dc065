import type { GatewayError, SessionState } from "../../src/shared";
import type { LoginInFlight } from "./sessionPhase";

/** How the answered login's promise settles: its own answer, or that of a later login it hands over to. */
export type LoginOutcome =
  | { type: "resolve"; state: SessionState }
  | { type: "reject"; error: unknown }
  | { type: "handOver"; to: number };

/**
 * What the driver must do after a transition: each effect at most once, carried out in the order
 * declared here (a closed set: the driver carries out nothing else).
 */
export interface SessionEffects {
  /** Cancel the elevation retry armed, if any. */
  cancelRetry?: true;
  /** Forget the token: no refresh, authenticated requests wait (`fail` fails those in flight). */
  drop?: true;
  /** Authenticated requests in flight fail with this error. */
  fail?: GatewayError;
  /** Tabs see this state (the phase's). */
  show?: SessionState;
  /** Authenticated requests wait: another user logs in (none may go with the previous token). */
  holdBack?: true;
  /** Arm the refresh of the token in use, which runs out then. */
  refreshAt?: number;
  /** Per-user state must go. */
  userChanged?: true;
  /** A held-back login failed: re-elevate the session held (a `reconnected` at attempt 0). */
  resume?: true;
  /** Elevated on the current socket, after a login (`false`) or a re-elevation (`true`): requests go. */
  elevated?: boolean;
  /** Send the login (request_elevation); its answer comes back as loginAnswered / loginFailed. */
  elevate?: LoginInFlight;
  /** Send the held token again; its answer comes back as reelevated / reelevationFailed. */
  reelevate?: { epoch: number; token: string; attempt: number };
  /** Send drop_elevation (a logout). */
  dropElevation?: true;
  /** Re-elevate again after `delayMs`, as `attempt`. */
  retry?: { attempt: number; delayMs: number };
  /** The answered login settles (loginAnswered / loginFailed only). */
  settle?: LoginOutcome;
}

import type { TokenClaims } from "../../src/protocol";
import type { GatewayError } from "../../src/shared";

/** What happens to the session: calls of its driver and the gateway's answers. */
export type SessionEvent =
  /** A page logs in (the token's claims already read and checked). */
  | { type: "login"; token: string; claims: TokenClaims }
  /** The gateway answered the login sent at `epoch` (as `sub`). */
  | { type: "loginAnswered"; epoch: number; sub: string; accepted: boolean }
  /** The login sent at `epoch` got no answer (disconnected, timeout, closed). */
  | { type: "loginFailed"; epoch: number; sub: string; error: unknown }
  | { type: "logout" }
  /** The gateway said the token ran out. */
  | { type: "expired" }
  /** A new socket (or a retry, `attempt` > 0): elevate it again with the token held. */
  | { type: "reconnected"; attempt: number; now: number }
  /** The gateway answered the re-elevation sent at `epoch`. */
  | { type: "reelevated"; epoch: number; accepted: boolean }
  | { type: "reelevationFailed"; epoch: number; attempt: number; code: GatewayError["code"] };

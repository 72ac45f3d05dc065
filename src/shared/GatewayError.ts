import type { GatewayErrorCode } from "../protocol";

/**
 * The client's failure codes (the gateway's are numbers: {@link GatewayErrorCode}):
 * - `timeout`: no answer in time (a gateway request 15 s, the worker's hello 10 s)
 * - `disconnected`: the connection dropped under a request that is not re-sent (login, spectate)
 * - `not_authenticated`: the call needs a login, or a logout or another user's login cut it off
 * - `session_expired`: the token ran out; log in again
 * - `bad_input`: a page passed something invalid · `bad_frame`: the gateway sent something invalid
 * - `incompatible`: this tab's build cannot talk to the running worker
 * - `config_mismatch`: the worker is connected to another gateway URL
 * - `closed`: the client was closed (or every tab is gone)
 * - `unsupported`: the browser lacks what is needed, or the worker script failed
 */
export type ClientErrorCode =
  | "timeout"
  | "disconnected"
  | "not_authenticated"
  | "session_expired"
  | "bad_input"
  | "bad_frame"
  | "incompatible"
  | "config_mismatch"
  | "closed"
  | "unsupported";

/**
 * What went wrong: a number is the gateway's own code (400 bad payload, 401 token, 403 permission,
 * 404 unknown guild or scope, 413 too large, 429 rate limited, 500 gateway fault), a string the client's.
 */
export type ErrorCode = GatewayErrorCode | ClientErrorCode;

/** The plain shape of a {@link GatewayError}, as it crosses the worker boundary. */
export interface ErrorInfo {
  /** What went wrong. */
  code: ErrorCode;
  /** For people, not programs: match on `code`. */
  message: string;
}

/**
 * The one error class of the library; `code` says what went wrong. Calls reject with it, and pool
 * and search snapshots carry it as their `error`.
 * @example
 * ```ts
 * try {
 *   await gateway.spectate(guildId);
 * } catch (error) {
 *   if (error instanceof GatewayError && error.code === 403) showNoAccess();
 *   else throw error;
 * }
 * ```
 */
export class GatewayError extends Error {
  /** Always `"GatewayError"`. */
  override readonly name = "GatewayError";
  /**
   * @param code What went wrong (see {@link ErrorCode}).
   * @param message For people, not programs.
   */
  constructor(
    /** What went wrong: the gateway's number (400…500) or the client's string ({@link ClientErrorCode}). */
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The plain form, which survives structured cloning (Comlink drops extra fields of errors). */
  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }

  /** Rebuilds the error from its plain form (see {@link GatewayError.toInfo}). */
  static from(info: ErrorInfo): GatewayError {
    return new GatewayError(info.code, info.message);
  }

  /** Any thrown value as an ErrorInfo (unknown errors become a 500). */
  static info(error: unknown): ErrorInfo {
    if (error instanceof GatewayError) return error.toInfo();
    return { code: 500, message: error instanceof Error ? error.message : String(error) };
  }
}

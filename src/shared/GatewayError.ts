import type { GatewayErrorCode } from "../protocol";

/**
 * Every failure the library reports: the gateway's own codes (400…500) and the client's:
 * - `timeout`: no answer in time · `disconnected`: the connection dropped and the request cannot be retried
 * - `not_authenticated`: the call needs a login · `session_expired`: the token ran out
 * - `bad_input`: a page passed something invalid · `bad_frame`: the gateway sent something invalid
 * - `incompatible`: this tab's build cannot talk to the running worker · `config_mismatch`: another gateway URL
 * - `closed`: the client was closed · `unsupported`: the browser lacks what is needed
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

export type ErrorCode = GatewayErrorCode | ClientErrorCode;

/** The plain shape of a {@link GatewayError}, as it crosses the worker boundary. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

/** The one error class of the library; `code` says what went wrong. */
export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The plain form, which survives structured cloning (Comlink drops extra fields of errors). */
  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }

  static from(info: ErrorInfo): GatewayError {
    return new GatewayError(info.code, info.message);
  }

  /** Any thrown value as an ErrorInfo (unknown errors become a 500). */
  static info(error: unknown): ErrorInfo {
    if (error instanceof GatewayError) return error.toInfo();
    return { code: 500, message: error instanceof Error ? error.message : String(error) };
  }
}

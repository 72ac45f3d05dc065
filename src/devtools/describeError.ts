import { GatewayError } from "../shared";

/** An error as the panel says it: `code: message` for a `GatewayError`, else its message. */
export const describeError = (error: unknown): string =>
  `${error instanceof GatewayError ? `${error.code}: ` : ""}${GatewayError.info(error).message}`;

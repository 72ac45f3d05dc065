/**
 * Error codes of the wire protocol:
 * 400 bad payload / unknown type · 401 missing, invalid or expired token ·
 * 403 not a member / missing permission · 404 unknown guild or entity scope ·
 * 413 payload too large · 429 rate limited · 500 gateway fault (the socket stays up).
 */
export type GatewayErrorCode = 400 | 401 | 403 | 404 | 413 | 429 | 500;

/** Every {@link GatewayErrorCode}. */
export const GATEWAY_ERROR_CODES: readonly GatewayErrorCode[] = [400, 401, 403, 404, 413, 429, 500];

import { GatewayError } from "../shared/GatewayError";

const SNOWFLAKE = /^\d{1,20}$/;

/**
 * The user a JWT names (its payload's `sub`, base64url JSON), read without verifying anything:
 * only to label the login's lifecycle actions (`meta.arg.userId`). The worker checks the token.
 * @throws {GatewayError} `bad_input` for anything else than three dot-separated base64url parts
 *   whose middle one is JSON with a `sub` of 1–20 digits.
 */
export function userIdFromToken(token: unknown): string {
  const bad = (why: string) => new GatewayError("bad_input", `login: ${why}`);
  if (typeof token !== "string") throw bad("the token must be a string");
  const parts = token.split(".");
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload))
    throw bad("the token is not a JWT");
  let claims: unknown;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    throw bad("the token's payload is not base64url JSON");
  }
  const sub = typeof claims === "object" && claims !== null ? (claims as { sub?: unknown }).sub : undefined;
  if (typeof sub !== "string" || !SNOWFLAKE.test(sub)) throw bad("the token's sub is not a user id");
  return sub;
}

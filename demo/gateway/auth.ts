import { SignJWT, errors as joseErrors, jwtVerify } from "jose";
import * as v from "valibot";
import type { TokenClaims } from "../../src/protocol";
import { tokenClaimsSchema } from "../../src/schema";
import type { Clock } from "./clock";

/** Why a token was refused. */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(
    message: string,
    readonly reason: "expired" | "invalid",
  ) {
    super(message);
  }
}

/** Signs and verifies the gateway's HS256 JWTs. */
export interface Auth {
  sign(claims: Omit<TokenClaims, "iat" | "exp">, ttlSeconds: number): Promise<string>;
  /** Checks signature, algorithm, expiry and claims; throws {@link TokenError}. */
  verify(token: string): Promise<TokenClaims>;
}

export function createAuth(secret: string, clock: Clock): Auth {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims, ttlSeconds) {
      const iat = Math.floor(clock.now() / 1000);
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlSeconds)
        .sign(key);
    },
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: ["HS256"],
          currentDate: new Date(clock.now()),
          requiredClaims: ["exp", "sub"],
        }));
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw new TokenError("token expired", "expired");
        throw new TokenError(
          `invalid token: ${error instanceof Error ? error.message : "unverifiable"}`,
          "invalid",
        );
      }
      const claims = v.safeParse(tokenClaimsSchema, payload);
      if (!claims.success) throw new TokenError("invalid token: malformed claims", "invalid");
      return claims.output;
    },
  };
}

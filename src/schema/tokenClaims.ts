import { z } from "zod";
import type { TokenClaims } from "../protocol";
import { snowflake } from "./common";

const bitfield = z.number().int().nonnegative().max(0xffffffff);

/** Validator of the gateway JWT's claims (after signature verification). */
export const tokenClaimsSchema: z.ZodType<TokenClaims> = z.object({
  sub: snowflake,
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  permissions: bitfield,
  guilds: z.record(snowflake, bitfield),
  admin: z.boolean().optional(),
});

import * as z from "zod/mini";
import type { TokenClaims } from "../protocol";
import { snowflake } from "./common";

const bitfield = z.number().check(z.int(), z.nonnegative(), z.maximum(0xffffffff));

/** Validator of the gateway JWT's claims (after signature verification). */
export const tokenClaimsSchema: z.ZodMiniType<TokenClaims> = z.object({
  sub: snowflake,
  iat: z.number().check(z.int(), z.nonnegative()),
  exp: z.number().check(z.int(), z.positive()),
  permissions: bitfield,
  guilds: z.record(snowflake, bitfield),
  admin: z.optional(z.boolean()),
});

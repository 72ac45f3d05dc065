import * as v from "valibot";
import type { TokenClaims } from "../protocol";
import { count, has, int, isPlainObject, notAnObject, objectThat, snowflake } from "./common";

const bitfield = v.pipe(int, v.minValue(0), v.maxValue(0xffffffff));

/**
 * Guild id → permission bits, in a plain object. valibot's `record()` skips the keys
 * "constructor" and "prototype" (zod refused them: they are no guild ids): refuse them first.
 */
const guilds = objectThat(
  (x) => isPlainObject(x) && !has(x, "constructor") && !has(x, "prototype"),
  v.record(snowflake, bitfield),
  (issue) =>
    Array.isArray(issue.input) || !isPlainObject(issue.input as object)
      ? notAnObject(issue)
      : "guild ids must be strings of 1–20 digits",
);

/** Validator of the gateway JWT's claims (after signature verification). */
export const tokenClaimsSchema: v.GenericSchema<TokenClaims> = v.object({
  sub: snowflake,
  iat: count,
  exp: v.pipe(int, v.minValue(1)),
  permissions: bitfield,
  guilds,
  admin: v.optional(v.boolean()),
});

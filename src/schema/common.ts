import * as z from "zod/mini";
import { AGNOSTIC_POOL_TYPES, GUILD_POOL_TYPES, POOL_TYPES } from "../protocol";

/** Snowflake / hoar frost: a string of 1–20 digits. */
export const SNOWFLAKE = /^[0-9]{1,20}$/;
/** Keys of the settingValue pool (its "ids"). */
export const SETTING_KEY = /^[A-Za-z0-9_.-]{1,100}$/;

export const snowflake = z.string().check(z.regex(SNOWFLAKE, "must be a string of 1–20 digits"));

/** Client-chosen request id: a positive safe integer. */
export const requestId = z.number().check(z.int(), z.positive(), z.maximum(Number.MAX_SAFE_INTEGER));

/** A sequence number (0 = nothing seen yet). */
export const seq = z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));

/** A JWT in compact form (three base64url parts); verification happens elsewhere. */
export const token = z
  .string()
  .check(
    z.minLength(1, "token is empty"),
    z.maxLength(8192, "token is too long"),
    z.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, "not a compact JWT"),
  );

export const guildPoolType = z.enum(GUILD_POOL_TYPES);
export const agnosticPoolType = z.enum(AGNOSTIC_POOL_TYPES);
export const poolType = z.enum(POOL_TYPES);

export const gatewayErrorCode = z.union([
  z.literal(400),
  z.literal(401),
  z.literal(403),
  z.literal(404),
  z.literal(413),
  z.literal(429),
  z.literal(500),
]);

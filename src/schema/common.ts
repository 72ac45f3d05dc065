import { z } from "zod";
import type { AgnosticPoolType, GuildPoolType, PoolType } from "../protocol";

/** Snowflake / hoar frost: a string of 1–20 digits. */
export const snowflake = z.string().regex(/^[0-9]{1,20}$/, "must be a string of 1–20 digits");

/** Client-chosen request id: a positive safe integer. */
export const requestId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** A sequence number (0 = nothing seen yet). */
export const seq = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A JWT in compact form (three base64url parts); verification happens elsewhere. */
export const token = z
  .string()
  .min(1, "token is empty")
  .max(8192, "token is too long")
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, "not a compact JWT");

export const guildPoolType = z.enum([
  "member",
  "channel",
  "role",
  "customEmoji",
  "autoResponse",
  "settingValue",
] satisfies GuildPoolType[]);
export const agnosticPoolType = z.enum(["user", "guild"] satisfies AgnosticPoolType[]);
export const poolType = z.enum([...guildPoolType.options, ...agnosticPoolType.options] satisfies PoolType[]);

export const gatewayErrorCode = z.union([
  z.literal(400),
  z.literal(401),
  z.literal(403),
  z.literal(404),
  z.literal(413),
  z.literal(429),
  z.literal(500),
]);

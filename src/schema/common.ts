import * as v from "valibot";
import { AGNOSTIC_POOL_TYPES, GUILD_POOL_TYPES, POOL_TYPES } from "../protocol";

/** Snowflake / hoar frost: a string of 1–20 digits. */
export const SNOWFLAKE = /^[0-9]{1,20}$/;
/** Keys of the settingValue pool (its "ids"). */
export const SETTING_KEY = /^[A-Za-z0-9_.-]{1,100}$/;

export const snowflake = v.pipe(v.string(), v.regex(SNOWFLAKE, "must be a string of 1–20 digits"));

/** A safe integer (finite, no fraction, at most 2^53 − 1 either way). */
export const int = v.pipe(v.number(), v.safeInteger());
/** Any finite number (valibot's `number()` alone lets ±Infinity through, e.g. JSON's `1e999`). */
export const finite = v.pipe(v.number(), v.finite());
/** An integer ≥ 0. */
export const count = v.pipe(int, v.minValue(0));

/** Client-chosen request id: a positive safe integer. */
export const requestId = v.pipe(int, v.minValue(1));

/** A sequence number (0 = nothing seen yet). */
export const seq = count;

/**
 * A JWT in compact form (three base64url parts); verification happens elsewhere.
 * (Maximum string lengths here and in the other modules count code points, as zod's did.)
 */
export const token = v.pipe(
  v.string(),
  v.minLength(1, "token is empty"),
  v.maxCodePoints(8192, "token is too long"),
  v.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, "not a compact JWT"),
);

/** Whether `x` has `key` as an own property. */
export const has = (x: object, key: string) => Object.prototype.hasOwnProperty.call(x, key);

/** An object made by `{}`, JSON or `Object.create(null)`: no array, no class instance (Date, Map…). */
export const isPlainObject = (x: object) => {
  if (Array.isArray(x)) return false;
  const ctor: unknown = x.constructor;
  if (typeof ctor !== "function") return true;
  const proto: unknown = ctor.prototype;
  return typeof proto === "object" && proto !== null && has(proto, "isPrototypeOf");
};

/** valibot's message for a value that is not an object (as zod said it). */
export const notAnObject = (issue: v.CustomIssue) =>
  `Invalid type: Expected Object but received ${issue.received}`;

/**
 * Runs `test` on an object before `schema` does, so valibot's `object()` and `record()` (which
 * take any non-null object, arrays included) refuse what zod's did: arrays for objects, arrays
 * and class instances for records. Non-objects are left to `schema` (and its message).
 */
export const objectThat = <S extends v.GenericSchema>(
  test: (x: object) => boolean,
  schema: S,
  message: v.ErrorMessage<v.CustomIssue> = notAnObject,
) =>
  v.pipe(
    v.custom<v.InferInput<S>>((x) => typeof x !== "object" || x === null || test(x), message),
    schema,
  );

/** An object that is not an array (zod's `object()`), then `schema`. */
export const notArray = <S extends v.GenericSchema>(schema: S) =>
  objectThat((x) => !Array.isArray(x), schema);

export const guildPoolType = v.picklist(GUILD_POOL_TYPES);
export const agnosticPoolType = v.picklist(AGNOSTIC_POOL_TYPES);
export const poolType = v.picklist(POOL_TYPES);

export const gatewayErrorCode = v.picklist([400, 401, 403, 404, 413, 429, 500]);

import * as v from "valibot";
import type { ErrorPayload } from "../protocol";
import { requestId } from "./common";

/** Largest payload string the protocol allows (64 KiB). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** Outcome of {@link parsePayload}: the typed value, or the `error` frame to answer with. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

const encoder = new TextEncoder();

/** UTF-8 size of a string, without encoding it when it is clearly small enough. */
function exceedsBytes(text: string, max: number): boolean {
  if (text.length * 3 <= max) return false;
  if (text.length > max) return true;
  return encoder.encode(text).length > max;
}

/** The request id of a parsed payload, when it has a valid one (so errors can echo it). */
export function requestIdOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null || !("_id" in value)) return undefined;
  return v.is(requestId, value._id) ? value._id : undefined;
}

/**
 * Parses one event payload: a JSON string, at most `maxBytes` long, of the schema's shape.
 * Never throws; a bad payload yields the `error` frame (400, or 413 when too large),
 * echoing the payload's `_id` whenever it has a valid one.
 */
export function parsePayload<T>(
  schema: v.GenericSchema<unknown, T>,
  raw: unknown,
  maxBytes: number = MAX_PAYLOAD_BYTES,
): ParseResult<T> {
  if (typeof raw !== "string")
    return fail({ code: 400, message: `payload must be a JSON string, got ${describe(raw)}` });
  if (exceedsBytes(raw, maxBytes))
    return fail({ code: 413, message: `payload larger than ${maxBytes} bytes` });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return fail({ code: 400, message: "payload is not valid JSON" });
  }
  let result: v.SafeParseResult<typeof schema>;
  try {
    result = v.safeParse(schema, json);
  } catch {
    // A validator that throws is a bug of ours, not of the sender: never let it escape.
    return fail({ ...withId(json), code: 500, message: "payload validator fault" });
  }
  if (result.success) return { ok: true, value: result.output };
  const issues = result.issues
    .slice(0, 10)
    .map((i) => ({ path: i.path?.map((p) => String(p.key)) ?? [], message: i.message }));
  const first = issues[0];
  return fail({
    ...withId(json),
    code: 400,
    message: first
      ? `invalid payload: ${first.path.join(".") || "(root)"}: ${first.message}`
      : "invalid payload",
    details: { issues },
  });
}

function withId(json: unknown): { _id?: number } {
  const _id = requestIdOf(json);
  return _id !== undefined ? { _id } : {};
}

function fail(error: ErrorPayload): { ok: false; error: ErrorPayload } {
  return { ok: false, error };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

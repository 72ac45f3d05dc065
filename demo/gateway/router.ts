import * as v from "valibot";
import {
  AUTHENTICATED_EVENT_NAMES,
  CLIENT_EVENT_NAMES,
  type ClientEventName,
  type ClientPayloads,
} from "../../src/protocol";
import { clientPayloadSchemas, parsePayload, requestIdOf, token } from "../../src/schema";
import { replyError, type GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import { RequestError } from "./elevation";

/** Handles one validated request of a socket. */
export type Handler<E extends ClientEventName> = (
  ctx: GatewayContext,
  session: SocketSession,
  payload: ClientPayloads[E],
) => Promise<void> | void;

export type Handlers = { [E in ClientEventName]: Handler<E> };

const known = new Set<string>(CLIENT_EVENT_NAMES);
const authenticated = new Set<string>(AUTHENTICATED_EVENT_NAMES);

/**
 * Why an authenticated request's token is unusable (missing, not a string, not a compact JWT),
 * or null. PROTOCOL.md: a missing or invalid token is a 401, whatever else is wrong.
 */
function tokenProblem(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return null;
  if (!Object.prototype.hasOwnProperty.call(json, "token")) return "missing token";
  const checked = v.safeParse(token, (json as { token: unknown }).token);
  return checked.success ? null : `invalid token: ${checked.issues[0].message}`;
}

/**
 * Entry point of every inbound event of a socket: rate limit (429), payload validation
 * (400/413), then the event's handler, one request after the other. Handler failures become
 * typed `error` frames echoing the request's `_id`; nothing escapes to crash the gateway.
 */
export function route(
  ctx: GatewayContext,
  session: SocketSession,
  handlers: Handlers,
  event: string,
  args: unknown[],
): void {
  const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (reply: string) => void) : null;
  const fail = (error: Parameters<typeof replyError>[2]) => {
    replyError(ctx, session, error);
    // A client that used a Socket.IO ack is not left waiting forever.
    ack?.(JSON.stringify(error));
  };
  ctx.stats.countRequest(known.has(event) ? event : "(unknown)");
  if (!session.limiter.take()) {
    const _id = typeof args[0] === "string" ? peekId(args[0], ctx.limits.maxPayloadBytes) : undefined;
    fail({
      ...(_id !== undefined ? { _id } : {}),
      code: 429,
      message: `more than ${ctx.limits.requestsPerSecond} requests/s`,
    });
    return;
  }
  if (!known.has(event)) {
    fail({ code: 400, message: `unknown event "${event.slice(0, 64)}"` });
    return;
  }
  const name = event as ClientEventName;
  if (args.length !== 1) {
    const _id = typeof args[0] === "string" ? peekId(args[0], ctx.limits.maxPayloadBytes) : undefined;
    fail({
      ...(_id !== undefined ? { _id } : {}),
      code: 400,
      message: `"${name}" takes exactly one argument`,
    });
    return;
  }
  const schema = clientPayloadSchemas[name] as v.GenericSchema<ClientPayloads[typeof name]>;
  const parsed = parsePayload(schema, args[0], ctx.limits.maxPayloadBytes);
  if (!parsed.ok) {
    const problem = parsed.error.code === 400 && authenticated.has(name) ? tokenProblem(args[0]) : null;
    fail(problem ? { ...withId(parsed.error._id), code: 401, message: problem } : parsed.error);
    return;
  }
  const payload = parsed.value;
  const handler = handlers[name] as Handler<typeof name>;
  session.queue = session.queue.then(async () => {
    try {
      await handler(ctx, session, payload);
    } catch (error) {
      const _id = payload._id;
      if (error instanceof RequestError) fail({ _id, code: error.code, message: error.message });
      else {
        console.error(`gateway: ${name} failed`, error);
        fail({ _id, code: 500, message: "gateway fault" });
      }
    }
  });
}

function peekId(raw: string, maxBytes: number): number | undefined {
  if (raw.length > maxBytes) return undefined;
  try {
    return requestIdOf(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

const withId = (_id: number | undefined) => (_id !== undefined ? { _id } : {});

import type * as v from "valibot";
import { CLIENT_EVENT_NAMES, type ClientEventName, type ClientPayloads } from "../../src/protocol";
import { clientPayloadSchemas, parsePayload, requestIdOf } from "../../src/schema";
import { replyError, type GatewayContext, type SocketSession } from "./context";
import { RequestError } from "./elevation";

/** Handles one validated request of a socket. */
export type Handler<E extends ClientEventName> = (
  ctx: GatewayContext,
  session: SocketSession,
  payload: ClientPayloads[E],
) => Promise<void> | void;

export type Handlers = { [E in ClientEventName]: Handler<E> };

const known = new Set<string>(CLIENT_EVENT_NAMES);

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
    fail(parsed.error);
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

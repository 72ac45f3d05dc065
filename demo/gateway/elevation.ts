import type { TokenClaims } from "../../src/protocol";
import { TokenError } from "./auth";
import { authRoom, reply, replyError, type GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import { resyncSpectating, setSpectating } from "./spectating";

/** Raised by {@link authenticate}; becomes an `error` frame with this code. */
export class RequestError extends Error {
  override readonly name = "RequestError";
  constructor(
    readonly code: 400 | 401 | 403 | 404 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Verifies the token of an authenticated request: the socket must be elevated, the token
 * valid, unexpired and of the elevated user. Its claims become the socket's current ones.
 */
export async function authenticate(
  ctx: GatewayContext,
  session: SocketSession,
  token: string,
): Promise<TokenClaims> {
  if (!session.claims) throw new RequestError(401, "not elevated: send request_elevation first");
  let claims: TokenClaims;
  try {
    claims = await ctx.auth.verify(token);
  } catch (error) {
    throw new RequestError(401, error instanceof TokenError ? error.message : "invalid token");
  }
  if (!session.claims) throw new RequestError(401, "not elevated: send request_elevation first");
  if (claims.sub !== session.claims.sub) throw new RequestError(401, "token belongs to another user");
  session.claims = claims;
  resyncSpectating(ctx, session);
  return claims;
}

/** `request_elevation`: verifies the token, joins `<SID>_auth` and arms the expiry timer. */
export async function elevate(
  ctx: GatewayContext,
  session: SocketSession,
  payload: { _id: number; token: string },
): Promise<void> {
  let claims: TokenClaims;
  try {
    claims = await ctx.auth.verify(payload.token);
  } catch (error) {
    reply(session, "request_elevation_return", { _id: payload._id, success: false });
    replyError(ctx, session, {
      _id: payload._id,
      code: 401,
      message: error instanceof TokenError ? error.message : "invalid token",
    });
    return;
  }
  const previous = session.claims;
  if (previous && previous.sub !== claims.sub) setSpectating(ctx, session, null, false);
  session.claims = claims;
  session.cancelExpiry?.();
  session.cancelExpiry = ctx.clock.setTimeout(
    () => expire(ctx, session),
    claims.exp * 1000 - ctx.clock.now(),
  );
  void session.socket.join(authRoom(session.socket.id));
  resyncSpectating(ctx, session);
  reply(session, "request_elevation_return", {
    _id: payload._id,
    success: true,
    room: authRoom(session.socket.id),
    user_id: claims.sub,
    expires_at: claims.exp,
  });
}

/** Leaves `<SID>_auth` and every guild room. */
export function dropElevation(ctx: GatewayContext, session: SocketSession): void {
  session.cancelExpiry?.();
  session.cancelExpiry = null;
  setSpectating(ctx, session, null, false);
  session.claims = null;
  session.socket.leave(authRoom(session.socket.id));
}

function expire(ctx: GatewayContext, session: SocketSession): void {
  if (!session.claims || !ctx.sessions.has(session.socket.id)) return;
  dropElevation(ctx, session);
  reply(session, "session_expired", { reason: "token expired" });
}

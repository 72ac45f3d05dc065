import type { InterpretPayload } from "../../src/protocol";
import { reply, type GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import { RequestError } from "./elevation";
import { InterpretInputError, MOCK_AUTO_RESPONSES, interpret } from "./interpret";

/** `interpret`: the front-page bot mock; needs no login. */
export function handleInterpret(
  _ctx: GatewayContext,
  session: SocketSession,
  payload: InterpretPayload,
): void {
  try {
    const actions = interpret(payload, MOCK_AUTO_RESPONSES);
    reply(session, "interpret_return", { _id: payload._id, guild_id: payload.guild_id, actions });
  } catch (error) {
    if (error instanceof InterpretInputError) throw new RequestError(400, error.message);
    throw error;
  }
}

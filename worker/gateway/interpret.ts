import * as v from "valibot";
import type { InterpretReturnPayload } from "../../src/protocol";
import { interpretSchema } from "../../src/schema/interpret";
import { GatewayError, type InterpretMessage } from "../../src/shared";
import type { Requests } from "./requests";

/**
 * The front page's bot mock (`interpret`, no login needed): the page's message is checked here,
 * so a bad call never reaches the gateway (`bad_input`), then sent and answered.
 */
export function interpret(
  requests: Pick<Requests, "send">,
  message: InterpretMessage,
): Promise<InterpretReturnPayload> {
  const checked = v.safeParse(interpretSchema, { ...(message as object), _id: 1 });
  if (!checked.success) throw new GatewayError("bad_input", `interpret: ${checked.issues[0].message}`);
  const { _id: _ignored, ...body } = checked.output;
  return requests.send<"interpret", InterpretReturnPayload>({
    event: "interpret",
    needsAuth: false,
    retry: true,
    build: (_id) => ({ ...body, _id }),
    collect: (event, payload) =>
      event === "interpret_return"
        ? { done: true, value: payload as InterpretReturnPayload }
        : { done: false },
  });
}

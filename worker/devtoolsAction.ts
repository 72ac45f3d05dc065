import { GatewayError } from "../src/shared";
import type { GatewayLink } from "./gateway/gatewayLink";
import type { Spectator } from "./spectate/spectator";

/**
 * Runs a devtools action (`DevtoolsAction`; the hub checked that the tab may) and says what it
 * did. `exit` ends the worker once the answer has gone (absent: this worker cannot end itself).
 */
export function devtoolsAction(
  action: unknown,
  link: Pick<GatewayLink, "drop">,
  spectator: Pick<Spectator, "respectate">,
  exit: (() => void) | undefined,
): string {
  switch (action) {
    case "drop":
      link.drop();
      return "dropped the transport";
    case "restart":
      if (!exit) throw new GatewayError("unsupported", "this worker cannot end itself");
      exit();
      return "ending the worker";
    case "respectate":
      spectator.respectate();
      return "spectating again";
    default:
      throw new GatewayError("bad_input", "unknown devtools action");
  }
}

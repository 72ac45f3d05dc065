import { createAuth } from "../../demo/gateway/auth";
import { gatewayHandlers } from "../../demo/gateway/gatewayHandlers";
import type { Handler } from "../../demo/gateway/router";
import { signDemoToken } from "../../demo/gateway/signDemoToken";
import type { ClientEventName } from "../../src/protocol";
import { systemClock } from "../../src/shared";
import type { HubHarness } from "./hubHarness";

/**
 * Saves the reference gateway's handlers, so a test may replace some (a gateway that answers
 * late, wrongly, or not at all); the returned function puts them back.
 */
export function saveHandlers(): () => void {
  const saved = { ...gatewayHandlers };
  return () => void Object.assign(gatewayHandlers, saved);
}

/** `handler`, answering `ms` later than it would. */
export function late<E extends ClientEventName>(handler: Handler<E>, ms: number): Handler<E> {
  return (ctx, session, payload) =>
    new Promise<void>((resolve) => setTimeout(() => resolve(handler(ctx, session, payload)), ms));
}

/** A token of the demo user `name` that the gateway refuses (signed with another secret). */
export function forgedToken(h: HubHarness, name: string): Promise<string> {
  const user = h.gw.gateway.context.dataset.demoUsers.find((u) => u.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  return signDemoToken(createAuth("not-the-gateway-secret-0123456789abc", systemClock), user, 600);
}

import { GatewayError, type SubscriptionSpec } from "../../src/shared";
import type { DeliveryQueue } from "./deliveryQueue";
import { openSubscription, type SubscriptionSources } from "./openSubscription";
import { validateSpec } from "./validateSpec";

/** Subscriptions one tab may hold at once: the worker's memory stays bounded whatever a page does. */
export const MAX_SUBSCRIPTIONS_PER_TAB = 1000;

/** A tab that said hello: its delivery channel and its subscriptions by id. */
export interface Tab {
  id: string;
  queue: DeliveryQueue;
  subscriptions: Map<number, { kind: SubscriptionSpec["kind"]; dispose(): void }>;
  /** Its hello said `devtools`: devtools actions are allowed. */
  devtools: boolean;
}

/** Opens subscription `id` of the tab (`spec` as the page sent it: checked here). */
export function subscribe(hub: SubscriptionSources, tab: Tab, id: number, spec: unknown): void {
  const subscriptions = tab.subscriptions;
  if (!Number.isSafeInteger(id) || id < 1)
    throw new GatewayError("bad_input", "subscription id must be a positive integer");
  if (subscriptions.has(id)) throw new GatewayError("bad_input", `subscription ${id} exists`);
  if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_TAB)
    throw new GatewayError("bad_input", `a tab may hold at most ${MAX_SUBSCRIPTIONS_PER_TAB} subscriptions`);
  const valid = validateSpec(spec);
  const dispose = openSubscription(hub, tab.id, id, valid, tab.queue);
  subscriptions.set(id, { kind: valid.kind, dispose });
  // A view of a guild's members: presence may have to flow (Extension 2).
  hub.spectator.viewsChanged();
  hub.changed.emit();
}

/** Ends subscription `id` of the tab (none: nothing happens); what it held may go. */
export function unsubscribe(hub: SubscriptionSources, tab: Tab, id: number): void {
  const sub = tab.subscriptions.get(id);
  if (!sub) return;
  tab.subscriptions.delete(id);
  sub.dispose();
  tab.queue.forget(id);
  hub.pools.collect();
  hub.spectator.viewsChanged();
  hub.changed.emit();
}

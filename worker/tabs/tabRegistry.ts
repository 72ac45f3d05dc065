import { GatewayError, type SubscriptionSpec } from "../../src/shared";
import type { Disposer } from "../signal";
import type { DeliveryQueue } from "./deliveryQueue";

/** Subscriptions one tab may hold at once: the worker's memory stays bounded whatever a page does. */
export const MAX_SUBSCRIPTIONS_PER_TAB = 1000;

/** A tab the worker serves: its delivery queue and its subscriptions by id. */
export interface Tab {
  id: string;
  queue: DeliveryQueue;
  subscriptions: Map<number, { kind: SubscriptionSpec["kind"]; dispose: Disposer }>;
}

/** The tabs a worker serves, each with what it subscribed to. */
export class TabRegistry {
  readonly #tabs = new Map<string, Tab>();

  has(tabId: string): boolean {
    return this.#tabs.has(tabId);
  }

  add(tabId: string, queue: DeliveryQueue): void {
    this.#tabs.set(tabId, { id: tabId, queue, subscriptions: new Map() });
  }

  /** The tab, or `closed` for a tab that did not say hello (or left). */
  get(tabId: string): Tab {
    const tab = this.#tabs.get(tabId);
    if (!tab) throw new GatewayError("closed", "this tab is not connected to the worker (say hello first)");
    return tab;
  }

  /** The tab leaves: each of its subscriptions ends and its queue closes. False if it was not here. */
  remove(tabId: string): boolean {
    const tab = this.#tabs.get(tabId);
    if (!tab) return false;
    this.#tabs.delete(tabId);
    for (const sub of tab.subscriptions.values()) sub.dispose();
    tab.queue.close();
    return true;
  }

  /**
   * Opens subscription `id` of the tab with `open` (given the tab's queue), after checking the id:
   * `bad_input` for one that is not a positive integer, one in use, or one past the tab's limit.
   */
  subscribe(
    tabId: string,
    id: number,
    open: (queue: DeliveryQueue) => { kind: SubscriptionSpec["kind"]; dispose: Disposer },
  ): void {
    const tab = this.get(tabId);
    if (!Number.isSafeInteger(id) || id < 1)
      throw new GatewayError("bad_input", "subscription id must be a positive integer");
    if (tab.subscriptions.has(id)) throw new GatewayError("bad_input", `subscription ${id} exists`);
    if (tab.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_TAB)
      throw new GatewayError(
        "bad_input",
        `a tab may hold at most ${MAX_SUBSCRIPTIONS_PER_TAB} subscriptions`,
      );
    tab.subscriptions.set(id, open(tab.queue));
  }

  /** Ends subscription `id` of the tab; false when it has none such. */
  unsubscribe(tabId: string, id: number): boolean {
    const tab = this.get(tabId);
    const sub = tab.subscriptions.get(id);
    if (!sub) return false;
    tab.subscriptions.delete(id);
    sub.dispose();
    tab.queue.forget(id);
    return true;
  }

  /** Subscriptions by kind, over all tabs. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const tab of this.#tabs.values())
      for (const sub of tab.subscriptions.values()) counts[sub.kind] = (counts[sub.kind] ?? 0) + 1;
    return counts;
  }

  /** Per tab, what the worker holds for it (queued items plus log entries). */
  backlogs(): number[] {
    return [...this.#tabs.values()].map((tab) => tab.queue.size);
  }

  get size(): number {
    return this.#tabs.size;
  }

  /** The ids of the tabs served now. */
  ids(): string[] {
    return [...this.#tabs.keys()];
  }
}

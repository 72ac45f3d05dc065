import {
  TAB_PROTOCOL_VERSION,
  type CacheSettings,
  type DeliveryItem,
  type LogEntry,
  type LogGap,
  type PoolDelta,
  type SearchResult,
  type SubscriptionSpec,
} from "../../src/shared";
import type { Entity } from "../../src/protocol";
import type { Hub } from "../hub";

type Waiter = { check: () => boolean; resolve: () => void };

/**
 * A tab as the hub sees it, in Node: receives delivery batches and rebuilds what a page would
 * (latest values, pool maps, log entries), with event-driven waits.
 */
export class FakeTab {
  static next = 1;
  readonly id = `tab-${FakeTab.next++}`;
  readonly batches: DeliveryItem[][] = [];
  readonly values = new Map<number, unknown[]>();
  readonly pools = new Map<
    number,
    { entities: Map<string, Entity>; last: PoolDelta | null; deltas: number }
  >();
  readonly logs = new Map<number, LogEntry[]>();
  readonly errors = new Map<number, unknown>();
  readonly gaps = new Map<number, LogGap[]>();
  private waiters: Waiter[] = [];
  private nextSub = 1;
  /** A paused tab handles nothing: batches wait, unacknowledged (a frozen or blocked page). */
  private held: DeliveryItem[][] | null = null;

  constructor(
    readonly hub: Hub,
    url: string,
    cache: CacheSettings | false = false,
    backlog = 10_000,
    batchMs = 16,
  ) {
    hub.hello(
      {
        protocolVersion: 1,
        tabProtocolVersion: TAB_PROTOCOL_VERSION,
        buildId: "test",
        gatewayUrl: url,
        lockName: null,
        cache,
        reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
        backlog,
        batchMs,
        tabId: this.id,
      },
      (batch) => this.receive(batch),
    );
  }

  subscribe(spec: SubscriptionSpec): number {
    const id = this.nextSub++;
    this.hub.subscribe(this.id, id, spec);
    return id;
  }

  latest<T>(sub: number): T | undefined {
    const all = this.values.get(sub);
    return all?.[all.length - 1] as T | undefined;
  }

  pool(sub: number) {
    const p = this.pools.get(sub);
    if (!p) throw new Error(`no pool deliveries for ${sub}`);
    return p;
  }

  search(sub: number): SearchResult | undefined {
    return this.latest<SearchResult>(sub);
  }

  until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${this.id}: condition not met in time; last values ${JSON.stringify([...this.values].map(([k, v]) => [k, v[v.length - 1]]))}, logs ${JSON.stringify([...this.logs].map(([k, v]) => [k, v.length]))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  close(): void {
    this.hub.removeTab(this.id);
  }

  /** Stops handling deliveries, as a frozen or blocked page would. */
  pause(): void {
    this.held ??= [];
  }

  /** Handles what arrived while paused, acknowledging each batch, and goes on. */
  resume(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const batch of held) this.receive(batch);
  }

  /** Batches delivered and not handled yet (paused). */
  get waiting(): number {
    return this.held?.length ?? 0;
  }

  /** Items and log entries in the batches not handled yet. */
  get waitingUnits(): number {
    let units = 0;
    for (const item of (this.held ?? []).flat())
      units += item.t === "logs" ? (JSON.parse(item.json) as unknown[]).length : 1;
    return units;
  }

  private receive(batch: DeliveryItem[]): void {
    if (this.held) {
      this.held.push(batch);
      return;
    }
    this.handle(batch);
    this.hub.ack(this.id);
  }

  private handle(batch: DeliveryItem[]): void {
    this.batches.push(batch);
    for (const item of batch) {
      if (item.t === "value") {
        const list = this.values.get(item.s) ?? [];
        list.push(item.v);
        this.values.set(item.s, list);
      } else if (item.t === "pool") {
        const p = this.pools.get(item.s) ?? { entities: new Map<string, Entity>(), last: null, deltas: 0 };
        if (item.d.reset) p.entities.clear();
        for (const e of item.d.upsert) p.entities.set(e.id, e);
        for (const id of item.d.remove) p.entities.delete(id);
        p.last = item.d;
        p.deltas++;
        this.pools.set(item.s, p);
      } else if (item.t === "logs") {
        const list = this.logs.get(item.s) ?? [];
        for (const entry of JSON.parse(item.json) as LogEntry[]) list.push(entry);
        this.logs.set(item.s, list);
      } else if (item.t === "gap") {
        const list = this.gaps.get(item.s) ?? [];
        list.push(item.g);
        this.gaps.set(item.s, list);
      } else this.errors.set(item.s, item.e);
    }
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }
}

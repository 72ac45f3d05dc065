import type { Cancel, Clock, DeliveryItem, QueuedItem } from "../src/shared";

/** A queued value, pool delta or error: everything but log entries. */
export type PlainItem = Exclude<QueuedItem, { t: "logs" }>;

/**
 * The one delivery channel of a tab: items are queued and posted in batches. An idle channel
 * flushes on the next macrotask (low latency); a busy one at most once per `windowMs`
 * (large batches, little CPU per item). Consecutive log items of a subscription are merged.
 */
export interface DeliveryQueue {
  /** Queues a value, pool delta or error (log entries go through `pushLog`). */
  push(item: PlainItem): void;
  /** Appends one log entry (the gateway's JSON string) for subscription `s`, without per-entry objects. */
  pushLog(s: number, raw: string): void;
  /** Posts everything queued now. */
  flush(): void;
  /** Drops what is queued and stops. */
  close(): void;
  readonly batches: number;
}

export function createDeliveryQueue(
  post: (batch: DeliveryItem[]) => void,
  clock: Clock,
  windowMs: number,
): DeliveryQueue {
  let queue: QueuedItem[] = [];
  let scheduled: Cancel | null = null;
  let lastFlush = -Infinity;
  let batches = 0;
  let closed = false;

  const flush = () => {
    scheduled?.();
    scheduled = null;
    if (queue.length === 0 || closed) return;
    // Log strings of a subscription become one JSON array: one string to clone, one parse in the tab.
    const batch = queue.map((item): DeliveryItem =>
      item.t === "logs" ? { s: item.s, t: "logs", json: `[${item.raw.join(",")}]` } : item,
    );
    queue = [];
    lastFlush = clock.now();
    batches++;
    post(batch);
  };

  const schedule = () => {
    if (scheduled) return;
    const wait = Math.max(0, lastFlush + windowMs - clock.now());
    scheduled = clock.setTimeout(flush, wait);
  };

  return {
    push(item) {
      if (closed) return;
      queue.push(item);
      schedule();
    },
    pushLog(s, raw) {
      if (closed) return;
      const last = queue[queue.length - 1];
      if (last?.t === "logs" && last.s === s) last.raw.push(raw);
      else queue.push({ s, t: "logs", raw: [raw] });
      schedule();
    },
    flush,
    close() {
      closed = true;
      scheduled?.();
      queue = [];
    },
    get batches() {
      return batches;
    },
  };
}

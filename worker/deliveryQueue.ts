import type { Cancel, Clock, DeliveryItem } from "../src/shared";

/**
 * The one delivery channel of a tab: items are queued and posted in batches. An idle channel
 * flushes on the next macrotask (low latency); a busy one at most once per `windowMs`
 * (large batches, little CPU per item). Consecutive log items of a subscription are merged.
 */
export interface DeliveryQueue {
  push(item: DeliveryItem): void;
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
  let queue: DeliveryItem[] = [];
  let scheduled: Cancel | null = null;
  let lastFlush = -Infinity;
  let batches = 0;
  let closed = false;

  const flush = () => {
    scheduled?.();
    scheduled = null;
    if (queue.length === 0 || closed) return;
    const batch = queue;
    queue = [];
    lastFlush = clock.now();
    batches++;
    post(batch);
  };

  return {
    push(item) {
      if (closed) return;
      const last = queue[queue.length - 1];
      if (item.t === "logs" && last?.t === "logs" && last.s === item.s) {
        for (const raw of item.raw) last.raw.push(raw);
      } else queue.push(item);
      if (scheduled) return;
      const wait = Math.max(0, lastFlush + windowMs - clock.now());
      scheduled = clock.setTimeout(flush, wait);
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

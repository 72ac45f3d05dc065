import {
  LATENCIES_KEPT,
  type Cancel,
  type Clock,
  type DeliveryItem,
  type LogGap,
  type QueuedItem,
} from "../../src/shared";

/** A queued value, pool delta, gap or error: everything but log entries. */
export type PlainItem = Exclude<QueuedItem, { t: "logs" }>;

/**
 * Batches posted to a tab and not yet acknowledged, beyond which the queue holds back (also
 * when what they hold reaches `backlog`). A few in flight keep a tab that is only slow (a busy
 * machine) fed without waiting for each acknowledgement; a tab that stopped gets no more.
 */
export const MAX_IN_FLIGHT = 8;

/**
 * The one delivery channel of a tab: items are queued and posted in batches. An idle channel
 * flushes on the next macrotask (low latency); a busy one at most once per `windowMs`
 * (large batches, little CPU per item). Consecutive log items of a subscription are merged.
 *
 * Flow control: the tab acknowledges each batch once it has handled it; with
 * {@link MAX_IN_FLIGHT} batches, or `backlog` items and entries, unacknowledged (a frozen,
 * blocked or busy tab) the queue holds back, and what it holds is bounded by `backlog` too. Beyond it,
 * values keep only their latest, pool changes become one whole snapshot (`whole`), and the
 * oldest log entries are dropped, said by a `slow_tab` gap with the seqs around them.
 */
export interface DeliveryQueue {
  /** Queues an item; `whole` gives a pool subscription's complete state, to replace its queued changes. */
  push(item: PlainItem, whole?: () => PlainItem): void;
  /** Appends one log entry (the gateway's JSON string) for subscription `s`, without per-entry objects. */
  pushLog(s: number, raw: string, seq: number, guildId: string): void;
  /** The tab handled a batch. */
  ack(): void;
  /** Subscription `s` ended: what is queued for it goes, and what the queue kept about it. */
  forget(s: number): void;
  /** Drops what is queued and stops. */
  close(): void;
  /** Batches posted. */
  readonly batches: number;
  /** Queued items plus queued log entries (bounded by `backlog`). */
  readonly size: number;
  /**
   * The latest delivery latencies (at most `LATENCIES_KEPT`), ms: from the queueing of a batch's
   * oldest item to the tab's acknowledgement of the batch.
   */
  readonly latencies: number[];
}

export function createDeliveryQueue(options: {
  post: (batch: DeliveryItem[]) => void;
  clock: Clock;
  windowMs: number;
  backlog: number;
  /** Told how many log entries were just dropped. */
  dropped?: (count: number) => void;
}): DeliveryQueue {
  const { post, clock, windowMs, backlog } = options;
  let queue: QueuedItem[] = [];
  let entries = 0;
  let scheduled: Cancel | null = null;
  let lastFlush = -Infinity;
  let batches = 0;
  /**
   * The batches posted and not acknowledged, oldest first: their size (items plus entries) and
   * when their oldest item was queued.
   */
  const inFlight: [units: number, queuedAt: number][] = [];
  /** When the oldest item queued now was. */
  let oldest = 0;
  const latencies: number[] = [];
  let inFlightUnits = 0;
  const holdingBack = () => inFlight.length >= MAX_IN_FLIGHT || inFlightUnits >= backlog;
  let closed = false;
  /** Per subscription: the complete state of a pool, while changes of it are queued. */
  let wholes = new Map<number, () => PlainItem>();
  /** Per log subscription: the last seq posted (a gap starts after it). */
  const posted = new Map<number, number>();
  /** Per log subscription: a gap queued and not posted yet (later drops widen it). */
  let gaps = new Map<number, LogGap>();
  /** Per log subscription: its guild (for the gaps it may be told). */
  const guilds = new Map<number, string>();
  /**
   * Per log subscription: its queued entries that later entries join (however the subscriptions
   * of a tab interleave), until something else of it is queued after them (a gap, an error).
   */
  let openLogs = new Map<number, Extract<QueuedItem, { t: "logs" }>>();

  const flush = () => {
    scheduled?.();
    scheduled = null;
    if (queue.length === 0 || closed || holdingBack()) return;
    const units = queue.length + entries;
    // Log strings of a subscription become one JSON array: one string to clone, one parse in the tab.
    const batch = queue.map((item): DeliveryItem => {
      if (item.t !== "logs") return item;
      posted.set(item.s, item.seqs[item.seqs.length - 1]!);
      return { s: item.s, t: "logs", json: `[${item.raw.join(",")}]` };
    });
    queue = [];
    entries = 0;
    wholes = new Map();
    gaps = new Map();
    openLogs = new Map();
    lastFlush = clock.now();
    batches++;
    inFlight.push([units, oldest]);
    inFlightUnits += units;
    post(batch);
  };

  const schedule = () => {
    if (scheduled || holdingBack()) return;
    const wait = Math.max(0, lastFlush + windowMs - clock.now());
    scheduled = clock.setTimeout(flush, wait);
  };

  /** Keeps only the latest value and one whole pool snapshot per subscription. */
  const coalesce = () => {
    const seen = new Set<number>();
    const kept: QueuedItem[] = [];
    for (let i = queue.length - 1; i >= 0; i--) {
      const item = queue[i]!;
      if (item.t === "value" || (item.t === "pool" && wholes.has(item.s))) {
        if (seen.has(item.s)) continue;
        seen.add(item.s);
        kept.push(item.t === "pool" ? wholes.get(item.s)!() : item);
      } else kept.push(item);
    }
    queue = kept.reverse();
  };

  /** Drops the oldest log entries until the queue is a quarter below `backlog`. */
  const dropOldest = () => {
    let excess = queue.length + entries - Math.floor(backlog * 0.75);
    const kept: QueuedItem[] = [];
    for (const item of queue) {
      if (excess <= 0 || item.t !== "logs") {
        kept.push(item);
        continue;
      }
      const n = Math.min(excess, item.raw.length);
      const gap = gaps.get(item.s) ?? {
        guildId: guilds.get(item.s) ?? "",
        reason: "slow_tab",
        afterSeq: posted.get(item.s) ?? null,
        untilSeq: null,
      };
      if (!gaps.has(item.s)) {
        gaps.set(item.s, gap);
        kept.push({ s: item.s, t: "gap", g: gap });
      }
      gap.untilSeq = item.seqs[n] ?? null;
      item.raw.splice(0, n);
      item.seqs.splice(0, n);
      entries -= n;
      options.dropped?.(n);
      excess -= n;
      if (item.raw.length > 0) kept.push(item);
      else {
        excess--;
        if (openLogs.get(item.s) === item) openLogs.delete(item.s);
      }
    }
    queue = kept;
  };

  const bound = () => {
    if (queue.length + entries <= backlog) return;
    coalesce();
    if (queue.length + entries > backlog) dropOldest();
  };

  return {
    push(item, whole) {
      if (closed) return;
      if (whole) wholes.set(item.s, whole);
      // Entries of this subscription queued after it go after it.
      openLogs.delete(item.s);
      if (queue.length === 0) oldest = clock.now();
      queue.push(item);
      bound();
      schedule();
    },
    pushLog(s, raw, seq, guildId) {
      if (closed) return;
      const gap = gaps.get(s);
      if (gap && gap.untilSeq === null) gap.untilSeq = seq;
      const open = openLogs.get(s);
      if (queue.length === 0) oldest = clock.now();
      if (open) {
        open.raw.push(raw);
        open.seqs.push(seq);
      } else {
        const item: Extract<QueuedItem, { t: "logs" }> = { s, t: "logs", raw: [raw], seqs: [seq] };
        queue.push(item);
        openLogs.set(s, item);
        guilds.set(s, guildId);
      }
      entries++;
      bound();
      schedule();
    },
    ack() {
      const acked = inFlight.shift();
      if (acked) {
        inFlightUnits -= acked[0];
        if (latencies.push(clock.now() - acked[1]) > LATENCIES_KEPT) latencies.shift();
      }
      if (queue.length > 0) schedule();
    },
    forget(s) {
      const kept: QueuedItem[] = [];
      for (const item of queue)
        if (item.s !== s) kept.push(item);
        else if (item.t === "logs") entries -= item.raw.length;
      queue = kept;
      wholes.delete(s);
      posted.delete(s);
      gaps.delete(s);
      guilds.delete(s);
      openLogs.delete(s);
    },
    close() {
      closed = true;
      scheduled?.();
      openLogs = new Map();
      queue = [];
      entries = 0;
    },
    get batches() {
      return batches;
    },
    get size() {
      return queue.length + entries;
    },
    latencies,
  };
}

/** One retained event of a topic. */
export interface LoggedEvent<T> {
  seq: number;
  /** The exact payload string that was published. */
  payload: string;
  value: T;
}

/**
 * Per-topic sequence numbers and a ring buffer of the last `capacity` events,
 * so a client that missed events can be replayed what it missed.
 */
export interface EventLog<T> {
  /** Assigns the next seq of `topic`, builds the event with it and retains it. */
  append(topic: string, build: (seq: number) => T): LoggedEvent<T>;
  /**
   * Retains an event numbered elsewhere (a cluster node's copy of what the producer published).
   * Returns false, retaining nothing, when its seq is not after the latest; a jump leaves a hole
   * that `since` will not read across.
   */
  record(topic: string, event: LoggedEvent<T>): boolean;
  /** Moves the latest seq of `topic` forward to `seq` without events (they are elsewhere). */
  advance(topic: string, seq: number): void;
  /** Latest seq of `topic` (0 before the first event). */
  latest(topic: string): number;
  /**
   * Events of `topic` after `seq`, oldest first; `null` when some of them are no longer
   * retained or `seq` is ahead of the topic (the client must refetch).
   */
  since(topic: string, seq: number): LoggedEvent<T>[] | null;
}

interface Ring<T> {
  latest: number;
  buffer: (LoggedEvent<T> | undefined)[];
}

export function createEventLog<T>(capacity = 1000): EventLog<T> {
  const rings = new Map<string, Ring<T>>();
  const ring = (topic: string) => {
    let r = rings.get(topic);
    if (!r) rings.set(topic, (r = { latest: 0, buffer: new Array<LoggedEvent<T> | undefined>(capacity) }));
    return r;
  };
  return {
    append(topic, build) {
      const r = ring(topic);
      const seq = r.latest + 1;
      const value = build(seq);
      const event: LoggedEvent<T> = { seq, payload: JSON.stringify(value), value };
      r.buffer[seq % capacity] = event;
      r.latest = seq;
      return event;
    },
    record(topic, event) {
      const r = ring(topic);
      if (event.seq <= r.latest) return false;
      r.buffer[event.seq % capacity] = event;
      r.latest = event.seq;
      return true;
    },
    advance(topic, seq) {
      const r = ring(topic);
      if (seq > r.latest) r.latest = seq;
    },
    latest: (topic) => rings.get(topic)?.latest ?? 0,
    since(topic, seq) {
      const r = rings.get(topic);
      const latest = r?.latest ?? 0;
      if (seq > latest) return null;
      if (seq === latest) return [];
      if (latest - seq > capacity || !r) return null;
      const out: LoggedEvent<T>[] = [];
      for (let s = seq + 1; s <= latest; s++) {
        const event = r.buffer[s % capacity];
        if (!event || event.seq !== s) return null;
        out.push(event);
      }
      return out;
    },
  };
}

/** Event counters of the worker, shown in diagnostics. */
export class Counters {
  readonly values: Record<string, number> = {};
  readonly #inboundKeys = new Map<string, string>();

  readonly #changed: () => void;

  /** `changed`: told of every count but inbound events (diagnostics$ coalesces what it shows). */
  constructor(changed: () => void = () => {}) {
    this.#changed = changed;
  }

  count(name: string): void {
    this.add(name, 1);
  }

  add(name: string, n: number): void {
    this.values[name] = (this.values[name] ?? 0) + n;
    this.#changed();
  }

  /** Counts without telling `changed`: for what happens at every frame (diagnostics$ would churn under load). */
  tally(name: string): void {
    this.values[name] = (this.values[name] ?? 0) + 1;
  }

  /** Counts an inbound event (keys made once per event name: this runs for every frame). */
  countInbound(event: string): void {
    let key = this.#inboundKeys.get(event);
    if (key === undefined) {
      // A misbehaving gateway cannot grow this without bound.
      key = this.#inboundKeys.size < 64 ? `in:${event.slice(0, 64)}` : "in:(other)";
      if (this.#inboundKeys.size < 64) this.#inboundKeys.set(event, key);
    }
    this.tally(key);
  }
}

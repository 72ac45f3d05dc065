import type { Cancel, Clock } from "../../src/shared";

export interface WriteQueueDeps {
  clock: Clock;
  /** The coalescing window, and the least time between two flushes. */
  intervalMs: number;
  /** The window is over: what is pending is to be written. */
  due: () => void;
  /** A chained operation failed (never thrown on). */
  failed: (error: unknown) => void;
  /** A chained operation ended, failed or not. */
  settled?: () => void;
}

/**
 * Pending writes by key, coalesced (the last one asked for a key wins, and is taken when the
 * window is over), and one chain that runs every disk operation in turn, never rejecting.
 */
export class WriteQueue<T> {
  readonly #pending = new Map<string, T>();
  readonly #deps: WriteQueueDeps;
  #cancel: Cancel | null = null;
  #chain: Promise<void> = Promise.resolve();
  #interval: number;

  constructor(deps: WriteQueueDeps) {
    this.#deps = deps;
    this.#interval = deps.intervalMs;
  }

  /** Keeps `item` for `key` (replacing the one pending) and starts the window, unless started. */
  schedule(key: string, item: T): void {
    this.#pending.set(key, item);
    this.#cancel ??= this.#deps.clock.setTimeout(() => {
      this.#cancel = null;
      this.#deps.due();
    }, this.#interval);
  }

  /** Ends the window: what is pending, in the order first asked, and nothing pending after. */
  take(): T[] {
    this.#cancel?.();
    this.#cancel = null;
    const items = [...this.#pending.values()];
    this.#pending.clear();
    return items;
  }

  /** Drops what is pending (its user is gone, or the cache is off). */
  clear(): void {
    this.#pending.clear();
  }

  /** Runs `run` after every operation chained before it. */
  chain(run: () => Promise<unknown> | unknown): void {
    this.#chain = this.#chain
      .then(run)
      .then(
        () => undefined,
        (error: unknown) => this.#deps.failed(error),
      )
      .then(() => this.#deps.settled?.());
  }

  /** Settles once every operation chained so far has. */
  get idle(): Promise<void> {
    return this.#chain;
  }

  /** Bounded cost: the next window lasts at least 20 times what the last batch took (≤ 5 % of a core). */
  tookMs(ms: number): void {
    this.#interval = Math.max(this.#deps.intervalMs, 20 * ms);
  }
}

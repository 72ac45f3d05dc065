/** Removes a listener or releases a resource. Calling it twice is harmless. */
export type Disposer = () => void;

/** A tiny change notifier: listeners run synchronously in order; each listen returns its disposer. */
export class Signal<T = void> {
  readonly #listeners = new Set<(value: T) => void>();

  listen(listener: (value: T) => void): Disposer {
    const entry = (value: T) => listener(value);
    this.#listeners.add(entry);
    return () => this.#listeners.delete(entry);
  }

  emit(value: T): void {
    if (this.#listeners.size === 0) return;
    for (const listener of [...this.#listeners]) listener(value);
  }

  get size(): number {
    return this.#listeners.size;
  }
}

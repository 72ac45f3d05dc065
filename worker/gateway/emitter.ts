// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of any event take any arguments
type Listener = ((...args: any[]) => void) & { fn?: Listener };

/**
 * `@socket.io/component-emitter`'s `Emitter` for the worker build, replaced in by vite.config.ts
 * (about 0.2 kB gzip less): what socket.io-client and engine.io-client call of it (`on`, `once`,
 * `off` and its aliases, `emit`, `emitReserved`), with the same behaviour: listeners run in the
 * order added, on a copy of the list (one added or removed meanwhile does not change this emit),
 * `off(event, fn)` removes the first listener that is `fn` or was added by `once(event, fn)`,
 * `off(event)` all of the event's, `off()` every one. Events are keyed with a `$` prefix, so an
 * event named after an object's own property (`constructor`, `__proto__`) is an event like any.
 * `listeners` and `hasListeners`, which neither client calls, are left out.
 */
export class Emitter {
  #callbacks: Record<string, Listener[]> = {};

  on(event: string, fn: Listener): this {
    (this.#callbacks["$" + event] ??= []).push(fn);
    return this;
  }

  once(event: string, fn: Listener): this {
    const on: Listener = (...args) => {
      this.off(event, on);
      fn.apply(this, args);
    };
    on.fn = fn;
    return this.on(event, on);
  }

  off(event?: string, fn?: Listener): this {
    if (event === undefined) this.#callbacks = {};
    else if (!fn) delete this.#callbacks["$" + event];
    else {
      const callbacks = this.#callbacks["$" + event] ?? [];
      const at = callbacks.findIndex((cb) => cb === fn || cb.fn === fn);
      if (at >= 0) callbacks.splice(at, 1);
      if (!callbacks.length) delete this.#callbacks["$" + event];
    }
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    for (const fn of this.#callbacks["$" + event]?.slice() ?? []) fn.apply(this, args);
    return this;
  }

  declare addEventListener: Emitter["on"];
  declare removeListener: Emitter["off"];
  declare removeAllListeners: Emitter["off"];
  declare removeEventListener: Emitter["off"];
  declare emitReserved: Emitter["emit"];
}

const proto = Emitter.prototype;
proto.addEventListener = proto.on;
proto.removeListener = proto.removeAllListeners = proto.removeEventListener = proto.off;
proto.emitReserved = proto.emit;

import type { ClientEventName, ClientPayloads, ErrorPayload } from "../../src/protocol";
import { GatewayError, type Cancel, type Clock } from "../../src/shared";
import type { GatewayLink } from "./gatewayLink";

/** What a frame answering a request means to it. */
export type Collect<R> = (event: string, payload: unknown) => { done: true; value: R } | { done: false };

export interface RequestSpec<E extends ClientEventName, R> {
  event: E;
  /** Builds the payload with a fresh `_id` and the current token, at every (re)send. */
  build(id: number, token: string | null): ClientPayloads[E];
  needsAuth: boolean;
  /** Re-sent after a reconnect (the request is idempotent). Otherwise it fails `disconnected`. */
  retry: boolean;
  collect: Collect<R>;
  /** Called before a re-send, so partial results (streamed chunks) can be dropped. */
  onRestart?: () => void;
}

interface Pending {
  spec: RequestSpec<ClientEventName, unknown>;
  id: number | null;
  resolve(value: unknown): void;
  reject(error: GatewayError): void;
  cancelTimeout: Cancel;
}

/** What requests go over, time out by, and carry. */
export interface RequestsDeps {
  link: GatewayLink;
  clock: Clock;
  timeoutMs: number;
  token(): string | null;
  /** Why an authenticated request cannot go (no token): `not_authenticated` or `session_expired`. */
  noLogin?(event: string): GatewayError;
}

/**
 * Requests correlated by `_id`: each with a timeout and a typed error,
 * held back (never buffered in socket.io) while the connection or the elevation is not ready,
 * re-sent after a reconnect when idempotent.
 */
export class Requests {
  #nextId = 1;
  readonly #inFlight = new Map<number, Pending>();
  readonly #waiting: Pending[] = [];
  #connected = false;
  #authReady = false;
  readonly #deps: RequestsDeps;

  constructor(deps: RequestsDeps) {
    this.#deps = deps;
  }

  send<E extends ClientEventName, R>(spec: RequestSpec<E, R>): Promise<R> {
    let pending!: Pending;
    const promise = new Promise<R>((resolve, reject) => {
      pending = {
        spec: spec as unknown as RequestSpec<ClientEventName, unknown>,
        id: null,
        resolve: resolve as (v: unknown) => void,
        reject,
        cancelTimeout: () => {},
      };
    });
    this.#armTimeout(pending);
    this.#dispatch(pending);
    return promise;
  }

  /** (Re)starts the request's timeout: at send, and whenever it shows progress (a streamed chunk). */
  #armTimeout(pending: Pending): void {
    pending.cancelTimeout();
    pending.cancelTimeout = this.#deps.clock.setTimeout(() => {
      this.#forget(pending);
      pending.reject(
        new GatewayError("timeout", `${pending.spec.event}: no answer within ${this.#deps.timeoutMs} ms`),
      );
    }, this.#deps.timeoutMs);
  }

  /** Routes a frame carrying `_id`; false when no request waits for it. */
  handleFrame(event: string, payload: unknown): boolean {
    const id = (payload as { _id?: unknown } | null)?._id;
    if (typeof id !== "number") return false;
    const pending = this.#inFlight.get(id);
    if (!pending) return false;
    if (event === "error") {
      const error = payload as ErrorPayload;
      this.#forget(pending);
      pending.reject(new GatewayError(error.code, error.message));
      return true;
    }
    let outcome: ReturnType<Collect<unknown>>;
    try {
      outcome = pending.spec.collect(event, payload);
    } catch (error) {
      this.#forget(pending);
      pending.reject(new GatewayError("bad_frame", `${event}: ${GatewayError.info(error).message}`));
      return true;
    }
    if (outcome.done) {
      this.#forget(pending);
      pending.resolve(outcome.value);
    } else this.#armTimeout(pending);
    return true;
  }

  /** Fails the request with this `_id` (its answer came malformed). */
  fail(id: number, error: GatewayError): void {
    const pending = this.#inFlight.get(id);
    if (!pending) return;
    this.#forget(pending);
    pending.reject(error);
  }

  /** The socket is (re)connected; the elevation is not yet restored. */
  setConnected(connected: boolean): void {
    this.#connected = connected;
    if (!connected) {
      this.#authReady = false;
      for (const pending of [...this.#inFlight.values()]) {
        this.#inFlight.delete(pending.id ?? -1);
        pending.id = null;
        if (pending.spec.retry) {
          pending.spec.onRestart?.();
          this.#armTimeout(pending);
          this.#waiting.push(pending);
        } else {
          this.#forget(pending);
          pending.reject(new GatewayError("disconnected", `${pending.spec.event}: the connection dropped`));
        }
      }
    }
    this.#flush();
  }

  /** Authenticated requests may go out (elevated on this socket). */
  setAuthReady(ready: boolean): void {
    this.#authReady = ready;
    this.#flush();
  }

  /** Fails every authenticated request, waiting or in flight (logout, expiry, elevation refused). */
  failAuthenticated(error: GatewayError): void {
    for (const pending of [...this.#waiting, ...this.#inFlight.values()])
      if (pending.spec.needsAuth) {
        this.#forget(pending);
        pending.reject(error);
      }
  }

  /** Fails everything (the worker shuts the connection). */
  failAll(error: GatewayError): void {
    for (const pending of [...this.#waiting, ...this.#inFlight.values()]) {
      this.#forget(pending);
      pending.reject(error);
    }
  }

  get pendingCount(): number {
    return this.#inFlight.size + this.#waiting.length;
  }

  #dispatch(pending: Pending): void {
    const { spec } = pending;
    if (spec.needsAuth && this.#deps.token() === null) {
      this.#forget(pending);
      pending.reject(
        this.#deps.noLogin?.(spec.event) ??
          new GatewayError("not_authenticated", `${spec.event} needs a login`),
      );
      return;
    }
    if (!this.#connected || (spec.needsAuth && !this.#authReady)) {
      if (!this.#waiting.includes(pending)) this.#waiting.push(pending);
      return;
    }
    const id = this.#nextId++;
    let payload: ClientPayloads[ClientEventName];
    try {
      payload = spec.build(id, this.#deps.token());
    } catch (error) {
      this.#forget(pending);
      pending.reject(new GatewayError("bad_input", GatewayError.info(error).message));
      return;
    }
    if (!this.#deps.link.emit(spec.event, payload)) {
      this.#waiting.push(pending);
      return;
    }
    pending.id = id;
    this.#inFlight.set(id, pending);
  }

  #flush(): void {
    const ready = this.#waiting.splice(0);
    for (const pending of ready) this.#dispatch(pending);
  }

  #forget(pending: Pending): void {
    pending.cancelTimeout();
    if (pending.id !== null) this.#inFlight.delete(pending.id);
    const i = this.#waiting.indexOf(pending);
    if (i >= 0) this.#waiting.splice(i, 1);
  }
}

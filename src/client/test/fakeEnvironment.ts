import type { Remote } from "comlink";
import type {
  Clock,
  DeliveryItem,
  GatewayMode,
  HelloRequest,
  Result,
  SessionState,
  SubscriptionSpec,
  WorkerApi,
} from "../../shared";
import type { ClientEnvironment, Locks } from "../environment";
import type { LeaderWorker } from "../leaderWorker";
import type { WorkerConnection } from "../openWorker";
import type { LinkSettings } from "../workerInstance";

/** Lets every queued microtask and promise callback run (no timers: time moves only by `advance`). */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Flushes until `done()` holds; throws after `rounds` flushes (something never happened). */
export const flushUntil = async (done: () => boolean, rounds = 1000): Promise<void> => {
  for (let i = 0; i < rounds; i++) {
    if (done()) return;
    await flush();
  }
  throw new Error(`not done after ${rounds} flushes`);
};

/** A clock that moves only when told to, and counts its timers. */
export interface CountingClock extends Clock {
  advance(ms: number): void;
  readonly counts: { scheduled: number; cancelled: number; fired: number };
  /** Timers scheduled and neither fired nor cancelled. */
  readonly pending: number;
}

export function createCountingClock(start = 0): CountingClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const counts = { scheduled: 0, cancelled: 0, fired: 0 };
  return {
    counts,
    get pending() {
      return timers.size;
    },
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      counts.scheduled++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return () => {
        if (timers.delete(id)) counts.cancelled++;
      };
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        counts.fired++;
        now = due[1].at;
        due[1].fn();
      }
      now = target;
    },
  };
}

type Waiter = {
  name: string;
  callback: () => unknown;
  resolve(value: unknown): void;
  reject(e: unknown): void;
};

/**
 * Web Locks in memory, granted in a later microtask as the browser does. Counts what the page
 * client asked for; `hold` takes a lock for someone else (a worker's lifetime lock).
 */
export class FakeLocks implements Locks {
  readonly counts = { requested: 0, granted: 0, released: 0, aborted: 0 };
  private readonly holders = new Set<string>();
  private readonly queue: Waiter[] = [];

  /** Requests waiting for their lock. */
  get pending(): number {
    return this.queue.length;
  }
  /** Locks the page client holds now. */
  get held(): number {
    return this.counts.granted - this.counts.released;
  }
  isHeld(name: string): boolean {
    return this.holders.has(name);
  }

  request(name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown> {
    this.counts.requested++;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { name, callback, resolve, reject };
      if (options.signal?.aborted) return this.abort(waiter);
      options.signal?.addEventListener("abort", () => this.abort(waiter), { once: true });
      this.queue.push(waiter);
      queueMicrotask(() => this.grant(name));
    });
  }

  /** Someone else (a worker) takes `name` now; the returned function lets it go. */
  hold(name: string): () => void {
    this.holders.add(name);
    return () => {
      this.holders.delete(name);
      queueMicrotask(() => this.grant(name));
    };
  }

  private abort(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    this.counts.aborted++;
    waiter.reject(new DOMException("aborted", "AbortError"));
  }

  private grant(name: string): void {
    if (this.holders.has(name)) return;
    const index = this.queue.findIndex((w) => w.name === name);
    const waiter = this.queue[index];
    if (!waiter) return;
    this.queue.splice(index, 1);
    this.holders.add(name);
    this.counts.granted++;
    void Promise.resolve()
      .then(() => waiter.callback())
      .then(
        (value) => waiter.resolve(value),
        (error: unknown) => waiter.reject(error),
      )
      .finally(() => {
        this.holders.delete(name);
        this.counts.released++;
        queueMicrotask(() => this.grant(name));
      });
  }
}

/** `window` or `document`: counts the listeners it holds. */
export class FakeEventTarget {
  visibilityState: DocumentVisibilityState = "visible";
  private readonly listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();

  get count(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    if (!listener) return;
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
    // As a browser's: the listener goes when its signal aborts.
    if (typeof options === "object")
      options.signal?.addEventListener("abort", () => this.removeEventListener(type, listener), {
        once: true,
      });
  }
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (listener) this.listeners.get(type)?.delete(listener);
  }
  dispatch(type: string, fields: Record<string, unknown> = {}): void {
    const event = { type, ...fields } as unknown as Event;
    for (const listener of [...(this.listeners.get(type) ?? [])])
      if (typeof listener === "function") listener(event);
      else listener.handleEvent(event);
  }
}

/** Message ports in memory: a message arrives in a later microtask; counts open ports. */
export class FakePorts {
  opened = 0;
  closed = 0;
  get open(): number {
    return this.opened - this.closed;
  }
  pair(): { port1: FakePort; port2: FakePort } {
    const port1 = new FakePort(this);
    const port2 = new FakePort(this);
    port1.other = port2;
    port2.other = port1;
    this.opened += 2;
    return { port1, port2 };
  }
}

export class FakePort {
  other: FakePort | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  isClosed = false;
  constructor(private readonly ports: FakePorts) {}
  postMessage(data: unknown): void {
    const to = this.other;
    if (this.isClosed || !to) return;
    queueMicrotask(() => {
      if (!to.isClosed) to.onmessage?.({ data } as MessageEvent);
    });
  }
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.ports.closed++;
  }
}

/** A call a fake worker received from a tab. */
export interface Received {
  method: keyof WorkerApi;
  args: unknown[];
}

/** What a fake worker answers; `undefined` never answers (a worker that hangs). */
export type Answer = (method: keyof WorkerApi, args: unknown[]) => Result<unknown> | undefined;

const ok = (value: unknown): Result<unknown> => ({ ok: true, value });

export const AUTHENTICATED: SessionState = {
  status: "authenticated",
  userId: "1",
  permissions: 0,
} as unknown as SessionState;

const defaultAnswer: Answer = (method, args) => {
  if (method === "login") return ok(AUTHENTICATED);
  if (method === "spectate") {
    const [guildId, options] = args as [string | null, { includeLogs: boolean }];
    return ok({ guildId, includeLogs: options.includeLogs, pending: false, mine: true, wanted: guildId });
  }
  if (method === "interpret") return ok({ actions: [] });
  return ok(null);
};

/** One connection of a tab to a fake worker (a SharedWorker's port, as the page sees it). */
export class FakeConnection implements WorkerConnection {
  readonly received: Received[] = [];
  delivery: FakePort | null = null;
  hello: HelloRequest | null = null;
  isClosed = false;
  readonly shared = true;
  readonly failed = new Promise<never>(() => {});
  readonly api: Remote<WorkerApi>;

  constructor(readonly worker: FakeWorker) {
    this.api = new Proxy({} as Remote<WorkerApi>, {
      get:
        (_, method: string) =>
        (...args: unknown[]) =>
          this.receive(method as keyof WorkerApi, args),
    });
  }

  private receive(method: keyof WorkerApi, args: unknown[]): Promise<Result<unknown>> {
    if (this.isClosed || this.worker.dead) return new Promise(() => {});
    this.received.push({ method, args });
    if (method === "hello") {
      this.hello = args[0] as HelloRequest;
      this.delivery = args[1] as FakePort;
    }
    if (method === "bye") this.delivery?.close();
    const answer = (this.worker.answer ?? defaultAnswer)(method, args);
    if (method === "hello" && answer?.ok)
      return Promise.resolve(
        ok({
          workerId: this.worker.id,
          buildId: "test",
          protocolVersion: 1,
          workerLock: this.worker.lock,
          ...(answer.value as object),
        }),
      );
    return answer ? Promise.resolve(answer) : new Promise(() => {});
  }

  /** The calls of `method` this connection received. */
  calls(method: keyof WorkerApi): unknown[][] {
    return this.received.filter((r) => r.method === method).map((r) => r.args);
  }
  /** The specs subscribed, by subscription id (the latest of each). */
  subscriptions(): Map<number, SubscriptionSpec> {
    return new Map(this.calls("subscribe").map(([id, spec]) => [id as number, spec as SubscriptionSpec]));
  }
  /** Posts one delivery batch to the tab. */
  deliver(items: DeliveryItem[]): void {
    this.delivery?.postMessage(items);
  }
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.worker.connections.closed++;
    // The tab's end of the worker is gone: the worker lets its delivery port go too.
    this.delivery?.close();
  }
}

let workerIds = 0;

/** A worker that serves tabs over fake connections and holds a lifetime lock. */
export class FakeWorker {
  readonly id = `worker-${++workerIds}`;
  readonly lock = `${this.id}-life`;
  readonly connections = { opened: 0, closed: 0, all: [] as FakeConnection[] };
  dead = false;
  answer: Answer | null = null;
  private readonly letGo: () => void;

  constructor(locks: FakeLocks) {
    this.letGo = locks.hold(this.lock);
  }
  connect(): FakeConnection {
    const connection = new FakeConnection(this);
    this.connections.opened++;
    this.connections.all.push(connection);
    return connection;
  }
  /** The worker ends (killed, crashed): its lifetime lock is released, it answers nothing more. */
  die(): void {
    this.dead = true;
    this.letGo();
  }
}

/** A leader's dedicated worker, for the election. */
export class FakeLeaderWorker implements LeaderWorker {
  readonly led: string[] = [];
  terminated = false;
  /** Fails its script: `failed` rejects. */
  fail: () => void = () => {};
  readonly failed = new Promise<never>((_, reject) => {
    this.fail = () => reject(new Error("the script failed"));
  });
  readonly api = {
    lead: (base: string): Promise<Result<{ workerLock: string | null }>> => {
      this.led.push(base);
      const answer = this.answer();
      return answer ? Promise.resolve(answer) : new Promise(() => {});
    },
  };
  constructor(readonly answer: () => Result<{ workerLock: string | null }> | undefined) {}
  close(): void {
    this.terminated = true;
  }
}

/** Everything a page client needs, faked, with the counters to check that it let go of all. */
export interface FakeEnvironment {
  env: ClientEnvironment;
  clock: CountingClock;
  locks: FakeLocks;
  window: FakeEventTarget;
  document: FakeEventTarget;
  ports: FakePorts;
  /** The worker new connections reach; replaced by a fresh one once it died. */
  worker(): FakeWorker;
  /** Every worker so far. */
  workers: FakeWorker[];
  /** Every connection any tab opened, in order. */
  connections: FakeConnection[];
  leaderWorkers: FakeLeaderWorker[];
  /** What `env.connect` does (default: a connection to `worker()`); a test may make it throw. */
  connect: (mode: GatewayMode) => FakeConnection;
  leaderAnswer: () => Result<{ workerLock: string | null }> | undefined;
}

export function createFakeEnvironment(): FakeEnvironment {
  const clock = createCountingClock(1_000_000);
  const locks = new FakeLocks();
  const window = new FakeEventTarget();
  const document = new FakeEventTarget();
  const ports = new FakePorts();
  let tabs = 0;
  const fake: FakeEnvironment = {
    clock,
    locks,
    window,
    document,
    ports,
    workers: [],
    connections: [],
    leaderWorkers: [],
    worker() {
      const last = fake.workers[fake.workers.length - 1];
      if (last && !last.dead) return last;
      const next = new FakeWorker(locks);
      fake.workers.push(next);
      return next;
    },
    connect: () => fake.worker().connect(),
    leaderAnswer: () => ({ ok: true, value: { workerLock: null } }),
    env: {
      clock,
      locks,
      page: { window, document },
      channel: () => ports.pair() as unknown as { port1: MessagePort; port2: MessagePort },
      randomId: () => `tab-${++tabs}`,
      connect: (mode) => {
        const connection = fake.connect(mode);
        fake.connections.push(connection);
        return connection;
      },
      leaderWorker: () => {
        const worker = new FakeLeaderWorker(() => fake.leaderAnswer());
        fake.leaderWorkers.push(worker);
        return worker;
      },
      // A replacement opens at once unless a test sets a delay (restartDelay.test.ts).
      restartDelayMs: 0,
    },
  };
  return fake;
}

/** Settings as `connectGateway` fills them in. */
export const SETTINGS: LinkSettings = {
  url: "http://gateway.test",
  mode: "shared",
  cache: false,
  reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
  backlog: 10_000,
  batchMs: 16,
};

import * as Comlink from "comlink";
import { PROTOCOL_VERSION } from "../protocol";
import {
  BUILD_ID,
  GatewayError,
  TAB_PROTOCOL_VERSION,
  leaderBase,
  type CacheSettings,
  type GatewayMode,
  type DeliveryItem,
  type HelloResponse,
  type ReconnectSettings,
  type Result,
  type WorkerApi,
} from "../shared";
import { openChannelConnection } from "./channelConnection";
import { competeForLead } from "./leaderElection";
import { openWorker, type WorkerConnection, type WorkerFactory } from "./openWorker";
import { holdTabLock } from "./tabLock";

/** How long a tab waits for a worker to accept it. */
const HELLO_TIMEOUT_MS = 10_000;
/** Workers that may end in a row, each within MIN_LIFE_MS of its start, before the tab gives up. */
const MAX_QUICK_DEATHS = 5;
const MIN_LIFE_MS = 10_000;

export type Hello = HelloResponse & {
  shared: boolean;
  /** How this tab reaches the connection. */
  mode: GatewayMode;
  /** This tab's id (in leader mode, compare with `diagnostics$`'s `leaderTabId`). */
  tabId: string;
};

/** This tab's line to the worker, which starts a new worker when the one it talks to ends. */
export interface WorkerLink {
  /** The first worker's answer to hello. */
  readonly ready: Promise<Hello>;
  /**
   * Runs a call on the current worker. Rejects `disconnected` when the worker ends before it
   * answers (a new one is started), `closed` after `close()`: it never stays pending. With
   * `retry`, a call the ended worker did not answer is made once more on the next worker.
   */
  call<T>(
    run: (api: Comlink.Remote<WorkerApi>) => Promise<Result<T>>,
    options?: { retry?: boolean },
  ): Promise<T>;
  /** The worker ended (a new one is starting). */
  onLost(listener: () => void): void;
  /** A new worker accepted this tab after the previous one ended. */
  onRestarted(listener: () => void): void;
  /**
   * No worker will serve this tab any more (the replacement's script failed, it kept ending, or
   * it refused this tab): every later call rejects with `error` too.
   */
  onFailed(listener: (error: GatewayError) => void): void;
  close(): Promise<void>;
}

interface Instance {
  conn: WorkerConnection;
  channel: MessageChannel;
  hello: Promise<Hello>;
  /** Rejects when this worker is gone; every call races it. */
  lost: Promise<never>;
  markLost(error: GatewayError): void;
  startedAt: number;
}

const unwrap = async <T>(call: Promise<Result<T>>): Promise<T> => {
  let result: Result<T>;
  try {
    result = await call;
  } catch (error) {
    // Arguments the browser cannot clone to the worker (a function, a bigint in JSON, a DOM
    // node…) are the page's bad input, not a failure of the worker.
    if (error instanceof DOMException && error.name === "DataCloneError")
      throw new GatewayError("bad_input", `an argument cannot be sent to the worker: ${error.message}`);
    throw error;
  }
  if (!result.ok) throw GatewayError.from(result.error);
  return result.value;
};

export function createWorkerLink(options: {
  url: string;
  factory: WorkerFactory;
  mode: GatewayMode;
  cache: CacheSettings | false;
  reconnect: ReconnectSettings;
  backlog: number;
  batchMs: number;
  deliver(items: DeliveryItem[]): void;
}): WorkerLink {
  const tabId = crypto.randomUUID();
  const locks = typeof navigator !== "undefined" && "locks" in navigator ? navigator.locks : null;
  const tabLock = holdTabLock(tabId);
  const base = leaderBase(options.url);
  // Leader mode: every tab competes to lead for its whole life; each talks to whoever leads.
  // A leader's worker that cannot start fails this tab's calls with the reason, not a timeout.
  const stopLeading =
    options.mode === "leader"
      ? competeForLead({ base, tabId, factory: options.factory, failed: (error) => current.markLost(error) })
      : null;
  const open = () =>
    options.mode === "leader"
      ? openChannelConnection(base, tabId)
      : openWorker(options.factory, options.mode === "shared");
  const lostListeners: (() => void)[] = [];
  const restartedListeners: (() => void)[] = [];
  const failedListeners: ((error: GatewayError) => void)[] = [];
  let closed = false;
  /** close() has begun: a worker that ends now is not replaced. */
  let closing = false;
  let quickDeaths = 0;

  const start = (): Instance => {
    const conn = open();
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<DeliveryItem[]>) => {
      try {
        options.deliver(event.data);
      } finally {
        // Handled: the worker may send the next batch (flow control).
        channel.port1.postMessage(0);
      }
    };
    let markLost!: (error: GatewayError) => void;
    const lost = new Promise<never>((_, reject) => (markLost = reject));
    lost.catch(() => {});
    const instance: Instance = {
      conn,
      channel,
      lost,
      markLost,
      startedAt: Date.now(),
      hello: Promise.resolve(null as unknown as Hello),
    };
    instance.hello = (async () => {
      const lock = await tabLock;
      const call = conn.api.hello(
        {
          protocolVersion: PROTOCOL_VERSION,
          tabProtocolVersion: TAB_PROTOCOL_VERSION,
          buildId: BUILD_ID,
          gatewayUrl: options.url,
          lockName: lock.name,
          tabId,
          cache: options.cache,
          reconnect: options.reconnect,
          backlog: options.backlog,
          batchMs: options.batchMs,
        },
        Comlink.transfer(channel.port2, [channel.port2]),
      );
      const response = await settle(call, conn, lost);
      // Granted exactly when this worker is gone (killed by the browser or devtools, crashed).
      if (locks && response.workerLock)
        void locks.request(response.workerLock, () => gone(instance)).catch(() => {});
      return { ...response, shared: conn.shared, mode: options.mode, tabId };
    })();
    instance.hello.catch(() => {});
    return instance;
  };

  let current = start();

  const gone = (instance: Instance) => {
    if (closed || closing || instance !== current) return;
    instance.markLost(new GatewayError("disconnected", "the worker ended; a new one is starting"));
    instance.channel.port1.close();
    instance.conn.close();
    for (const listener of lostListeners) listener();
    // A leader's worker ends whenever its tab goes: handovers in a row are no crash loop (the
    // election limits failing scripts itself).
    quickDeaths =
      options.mode !== "leader" && Date.now() - instance.startedAt < MIN_LIFE_MS ? quickDeaths + 1 : 0;
    if (quickDeaths > MAX_QUICK_DEATHS)
      return fail(instance, new GatewayError("unsupported", "the worker keeps ending: not starting another"));
    try {
      current = start();
    } catch (error) {
      return fail(
        instance,
        error instanceof GatewayError ? error : new GatewayError("unsupported", String(error)),
      );
    }
    const next = current;
    next.hello.then(
      () => {
        if (current === next) for (const listener of restartedListeners) listener();
      },
      (error: unknown) => {
        // As for the first worker's `ready`: its failure (a timeout included) is final.
        if (current !== next || closed || closing) return;
        next.channel.port1.close();
        next.conn.close();
        fail(next, error instanceof GatewayError ? error : new GatewayError("unsupported", String(error)));
      },
    );
  };

  /** No replacement: calls reject with `error` from now on, and whoever listens is told. */
  const fail = (instance: Instance, error: GatewayError) => {
    current = { ...instance, hello: Promise.reject(error), lost: Promise.reject(error) };
    current.hello.catch(() => {});
    current.lost.catch(() => {});
    for (const listener of failedListeners) listener(error);
  };

  return {
    ready: current.hello,
    call<T>(run: (api: Comlink.Remote<WorkerApi>) => Promise<Result<T>>, callOptions?: { retry?: boolean }) {
      if (closed) return Promise.reject(new GatewayError("closed", "this client was closed"));
      const once = (instance: Instance) =>
        instance.hello.then(() =>
          Promise.race([unwrap((async () => run(instance.conn.api))()), instance.lost]),
        );
      const first = current;
      const attempt = once(first);
      if (!callOptions?.retry) return attempt;
      return attempt.catch((error: unknown) => {
        const ended = error instanceof GatewayError && error.code === "disconnected";
        if (!ended || closed || current === first) throw error;
        return once(current);
      });
    },
    onLost: (listener) => void lostListeners.push(listener),
    onRestarted: (listener) => void restartedListeners.push(listener),
    onFailed: (listener) => void failedListeners.push(listener),
    async close() {
      if (closed || closing) return;
      closing = true;
      const instance = current;
      await instance.hello.then(() => Promise.race([instance.conn.api.bye(), instance.lost])).catch(() => {});
      closed = true;
      stopLeading?.();
      (await tabLock).release();
      instance.channel.port1.close();
      instance.conn.close();
    },
  };
}

/** The worker's answer to hello, unless the worker fails to start, ends, or never answers. */
function settle<T>(call: Promise<Result<T>>, conn: WorkerConnection, lost: Promise<never>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new GatewayError("timeout", `the worker did not answer within ${HELLO_TIMEOUT_MS} ms`)),
      HELLO_TIMEOUT_MS,
    );
    const done = () => clearTimeout(timer);
    unwrap(call).then(resolve, reject);
    conn.failed.catch(reject);
    lost.catch(reject);
    void Promise.race([call, conn.failed, lost]).then(done, done);
  });
}

import * as Comlink from "comlink";
import { PROTOCOL_VERSION } from "../protocol";
import {
  BUILD_ID,
  GatewayError,
  TAB_PROTOCOL_VERSION,
  type CacheSettings,
  type Clock,
  type DeliveryItem,
  type GatewayMode,
  type HelloResponse,
  type ReconnectSettings,
  type Result,
} from "../shared";
import type { ClientEnvironment } from "./environment";
import type { WorkerConnection } from "./openWorker";

/** What the tab asks of every worker it says hello to. */
export interface LinkSettings {
  url: string;
  mode: GatewayMode;
  cache: CacheSettings | false;
  reconnect: ReconnectSettings;
  backlog: number;
  batchMs: number;
}

/** How long a tab waits for a worker to accept it. */
export const HELLO_TIMEOUT_MS = 10_000;

export type Hello = HelloResponse & {
  shared: boolean;
  /** How this tab reaches the connection. */
  mode: GatewayMode;
  /** This tab's id (in leader mode, compare with `diagnostics$`'s `leaderTabId`). */
  tabId: string;
};

/** One worker the tab talks to (an attempt of `LinkPhase`), with its delivery port and hello. */
export interface WorkerInstance {
  conn: WorkerConnection;
  port: MessagePort;
  hello: Promise<Hello>;
  /** Rejects when the attempt ends; every call races it. */
  lost: Promise<never>;
  abort(error: GatewayError): void;
  /** Withdraws the request for the worker's lifetime lock. */
  unwatch(): void;
}

export const unwrap = async <T>(call: Promise<Result<T>>): Promise<T> => {
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

/** Opens a worker for this tab, hands it a delivery port, and says hello. */
export function openWorkerInstance(options: {
  settings: LinkSettings;
  env: ClientEnvironment;
  tabId: string;
  base: string;
  /** This tab's lock, once held (the worker asks for it to learn when the tab is gone). */
  lockName: Promise<string | null>;
  deliver(items: DeliveryItem[]): void;
}): WorkerInstance {
  const { settings, env, tabId } = options;
  const conn = env.connect(settings.mode, options.base, tabId);
  const { port1: port, port2 } = env.channel();
  port.onmessage = (event: MessageEvent<DeliveryItem[]>) => {
    try {
      options.deliver(event.data);
    } finally {
      // Handled: the worker may send the next batch (flow control).
      port.postMessage(0);
    }
  };
  let abort!: (error: GatewayError) => void;
  const lost = new Promise<never>((_, reject) => (abort = reject));
  lost.catch(() => {});
  const hello = (async (): Promise<Hello> => {
    const lockName = await options.lockName;
    const call = conn.api.hello(
      {
        protocolVersion: PROTOCOL_VERSION,
        tabProtocolVersion: TAB_PROTOCOL_VERSION,
        buildId: BUILD_ID,
        gatewayUrl: settings.url,
        lockName,
        tabId,
        cache: settings.cache,
        reconnect: settings.reconnect,
        backlog: settings.backlog,
        batchMs: settings.batchMs,
      },
      Comlink.transfer(port2, [port2]),
    );
    const response = await settle(call, conn, lost, env.clock);
    return { ...response, shared: conn.shared, mode: settings.mode, tabId };
  })();
  return { conn, port, hello, lost, abort, unwatch: () => {} };
}

/** The worker's answer to hello, unless the worker fails to start, ends, or never answers. */
function settle<T>(
  call: Promise<Result<T>>,
  conn: WorkerConnection,
  lost: Promise<never>,
  clock: Clock,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = clock.setTimeout(
      () => reject(new GatewayError("timeout", `the worker did not answer within ${HELLO_TIMEOUT_MS} ms`)),
      HELLO_TIMEOUT_MS,
    );
    unwrap(call).then(resolve, reject);
    conn.failed.catch(reject);
    lost.catch(reject);
    void Promise.race([call, conn.failed, lost]).then(cancel, cancel);
  });
}

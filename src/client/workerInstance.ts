import * as Comlink from "comlink";
import { PROTOCOL_VERSION } from "../protocol";
import {
  BUILD_ID,
  GatewayError,
  TAB_PROTOCOL_VERSION,
  leaderBase,
  type DeliveryItem,
  type GatewayMode,
  type HelloRequest,
  type HelloResponse,
  type Result,
} from "../shared";
import type { ClientEnvironment } from "./environment";
import type { WorkerConnection } from "./openWorker";

/** What the tab asks of every worker it says hello to. */
export type LinkSettings = Pick<HelloRequest, "cache" | "reconnect" | "backlog" | "batchMs" | "devtools"> & {
  url: string;
  mode: GatewayMode;
};

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
  /** Null while a replacement waits to be made (see `openWorkerInstance`'s `delayMs`). */
  readonly conn: WorkerConnection | null;
  hello: Promise<Hello>;
  /** Rejects when the attempt ends; every call races it. */
  lost: Promise<never>;
  /** Calls in flight reject with `error`; the worker stays open. */
  abort(error: GatewayError): void;
  /** As `abort`, then closes the delivery port and the worker connection. */
  close(error: GatewayError): void;
}

export const asGatewayError = (error: unknown): GatewayError =>
  error instanceof GatewayError ? error : new GatewayError("unsupported", String(error));

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

/**
 * Opens a worker for this tab (after `delayMs`: a replacement), hands it a delivery port, and
 * says hello once the tab's lock is held (`lockName`: the worker asks for it to learn when the
 * tab is gone). Hello fails when the worker fails to start, ends, or does not answer within
 * `HELLO_TIMEOUT_MS`.
 */
export function openWorkerInstance(
  settings: LinkSettings,
  env: ClientEnvironment,
  tabId: string,
  lockName: Promise<string | null>,
  deliver: (items: DeliveryItem[]) => void,
  delayMs = 0,
): WorkerInstance {
  // The cache, reconnect, backlog and batchMs settings go to the worker as they are.
  const { url, mode, ...tuning } = settings;
  let conn: WorkerConnection | null = null;
  let cancelDelay = () => {};
  const connect = () => (conn = env.connect(mode, leaderBase(url), tabId));
  // The first worker opens now (what cannot open throws to the caller); a replacement later.
  const opened = delayMs
    ? new Promise<void>((wait) => (cancelDelay = env.clock.setTimeout(wait, delayMs))).then(connect)
    : Promise.resolve(connect());
  const { port1: port, port2 } = env.channel();
  port.onmessage = (event: MessageEvent<DeliveryItem[]>) => {
    try {
      deliver(event.data);
    } finally {
      // Handled: the worker may send the next batch (flow control).
      port.postMessage(0);
    }
  };
  let abort!: (error: GatewayError) => void;
  const lost = new Promise<never>((_, reject) => (abort = reject));
  lost.catch(() => {});
  const hello = Promise.race([
    lost,
    Promise.all([lockName, opened]).then(
      ([lockName, conn]) =>
        new Promise<Hello>((resolve, reject) => {
          const call = conn.api.hello(
            {
              protocolVersion: PROTOCOL_VERSION,
              tabProtocolVersion: TAB_PROTOCOL_VERSION,
              buildId: BUILD_ID,
              gatewayUrl: url,
              lockName,
              tabId,
              ...tuning,
            },
            Comlink.transfer(port2, [port2]),
          );
          const cancel = env.clock.setTimeout(
            () =>
              reject(new GatewayError("timeout", `the worker did not answer within ${HELLO_TIMEOUT_MS} ms`)),
            HELLO_TIMEOUT_MS,
          );
          unwrap(call).then((answer) => resolve({ ...answer, shared: conn.shared, mode, tabId }), reject);
          conn.failed.catch(reject);
          void Promise.race([call, conn.failed, lost]).then(cancel, cancel);
        }),
    ),
  ]);
  return {
    get conn() {
      return conn;
    },
    hello,
    lost,
    abort,
    close(error) {
      abort(error);
      cancelDelay();
      port.close();
      conn?.close();
    },
  };
}

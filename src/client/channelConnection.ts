import type * as Comlink from "comlink";
import {
  GatewayError,
  tabChannelName,
  type ControlMessage,
  type HelloRequest,
  type Result,
  type TabChannelMessage,
  type WorkerApi,
} from "../shared";
import type { WorkerConnection } from "./openWorker";

/** How often a hello is said again while no leader answers. */
const HELLO_REPEAT_MS = 250;

/**
 * Leader mode: this tab's line to whichever tab leads, over BroadcastChannels (see
 * `channelProtocol`). The same calls as a worker's port; the delivery port given to `hello`
 * is fed from the channel, and its acknowledgements go back over it. A token refresher stays in
 * this tab: the worker asks for a token over the channel.
 */
export function openChannelConnection(base: string, tabId: string): WorkerConnection {
  const channel = new BroadcastChannel(tabChannelName(base, tabId));
  const control = new BroadcastChannel(base);
  const pending = new Map<number, (result: Result<unknown>) => void>();
  let nextId = 1;
  let refresher: (() => unknown) | null = null;
  let delivery: MessagePort | null = null;
  let closed = false;
  /** Posts unless this tab has left (a late answer to a refresh request, a repeated hello). */
  const send = (on: BroadcastChannel, message: TabChannelMessage | ControlMessage) => {
    if (!closed) on.postMessage(message);
  };

  channel.onmessage = (event: MessageEvent<TabChannelMessage>) => {
    const message = event.data;
    if (message.t === "deliver") delivery?.postMessage(message.batch);
    else if (message.t === "result") {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else if (message.t === "refresh") {
      const { id } = message;
      // The worker hears the token, or why there is none ("Error: …" as the error's String).
      Promise.resolve()
        .then(() => {
          if (!refresher) throw Error("this tab has no token refresher any more");
          return refresher();
        })
        .then(
          (token) => send(channel, { t: "refreshed", id, token, error: null }),
          (error: unknown) => send(channel, { t: "refreshed", id, token: null, error: String(error) }),
        );
    }
  };

  const call = (method: string, args: unknown[]): Promise<Result<unknown>> => {
    if (closed)
      return Promise.resolve({ ok: false, error: { code: "closed", message: "this tab has left" } });
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      send(channel, { t: "call", id, method, args });
    });
  };

  const hello = (request: HelloRequest, port: MessagePort): Promise<Result<unknown>> => {
    delivery = port;
    // The tab's acknowledgements of delivered batches go back to the worker.
    port.onmessage = () => send(channel, { t: "ack" });
    const id = nextId++;
    const say = () => send(control, { t: "hello", tab: tabId, id, request });
    return new Promise((resolve) => {
      // Said until a leader answers: the leader may be starting (elected, its worker loading).
      const repeat = setInterval(say, HELLO_REPEAT_MS);
      control.onmessage = (event: MessageEvent<ControlMessage>) => {
        if (event.data.t === "leader") say();
      };
      pending.set(id, (result) => {
        clearInterval(repeat);
        control.onmessage = null;
        resolve(result);
      });
      say();
    });
  };

  // hello and setRefresher are this tab's; any other name is a call over the channel, as on a
  // Comlink remote (the page calls only `WorkerApi`'s; the leader's worker answers no other).
  const own: Record<string | symbol, unknown> = {
    hello,
    setRefresher: (fn: (() => unknown) | null) => {
      refresher = fn;
      return call("setRefresher", [fn !== null]);
    },
  };
  // Not `then`: the api is no thenable (awaiting it, or resolving a promise with it, calls nothing).
  const api = new Proxy(own, {
    get: (_, method) =>
      own[method] ?? (method === "then" ? undefined : (...args: unknown[]) => call(String(method), args)),
  });

  return {
    api: api as unknown as Comlink.Remote<WorkerApi>,
    shared: false,
    // A missing leader shows as hello's timeout.
    failed: new Promise<never>(() => {}),
    close() {
      closed = true;
      for (const resolve of pending.values())
        resolve({
          ok: false,
          error: GatewayError.info(new GatewayError("disconnected", "the leader is gone")),
        });
      pending.clear();
      channel.close();
      control.close();
      delivery = null;
    },
  };
}

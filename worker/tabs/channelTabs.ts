import {
  GatewayError,
  tabChannelName,
  type ControlMessage,
  type HelloRequest,
  type TabChannelMessage,
  type WorkerApi,
} from "../../src/shared";
import { createTabApi, type DeliveryPort } from "./exposeTabApi";
import type { Hub } from "../hub";

/** How long the worker waits for a tab's token refresher over its channel. */
const REFRESH_TIMEOUT_MS = 15_000;
const MAX_TAB_ID = 100;

/**
 * Leader mode: this dedicated worker serves every tab of the origin that says hello on the
 * control channel `base`, each over its own channel, with the same calls, delivery batches and
 * acknowledgements as a SharedWorker's ports. A tab's end is learnt from its Web Lock.
 * Returns what stops serving.
 */
export function serveChannelTabs(hub: Hub, base: string, locks: LockManager | null): () => void {
  const control = new BroadcastChannel(base);
  const served = new Map<string, BroadcastChannel>();
  let stopped = false;

  const serve = (tabId: string, helloId: number, request: HelloRequest) => {
    const channel = new BroadcastChannel(tabChannelName(base, tabId));
    served.set(tabId, channel);
    let open = true;
    // Nothing goes out on a channel closed meanwhile (the tab left, or the worker stopped serving).
    const post = (message: TabChannelMessage) => open && !stopped && channel.postMessage(message);
    const api = createTabApi(hub, {
      locks,
      gone: (id) => {
        served.delete(id);
        // After the answer to bye(), which is posted once this call returns.
        hub.scheduler.setTimeout(() => {
          open = false;
          channel.close();
        }, 0);
      },
    });
    const delivery: DeliveryPort = {
      postMessage: (batch: unknown) => post({ t: "deliver", batch: batch as never }),
      onmessage: null,
    };
    let nextRefresh = 1;
    const refreshes = new Map<number, { resolve(token: unknown): void; reject(error: Error): void }>();
    const refresher = () =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextRefresh++;
        const cancel = hub.scheduler.setTimeout(() => {
          refreshes.delete(id);
          reject(new GatewayError("timeout", "the tab's token refresher did not answer"));
        }, REFRESH_TIMEOUT_MS);
        const done = () => (cancel(), refreshes.delete(id));
        refreshes.set(id, {
          resolve: (token) => (done(), resolve(token)),
          reject: (error) => (done(), reject(error)),
        });
        post({ t: "refresh", id });
      });
    const methods = new Set(Object.keys(api).filter((m) => m !== "hello" && m !== "lead"));

    channel.onmessage = (event: MessageEvent<TabChannelMessage>) => {
      const message = event.data as Partial<TabChannelMessage> | null;
      if (typeof message !== "object" || message === null) return hub.counters.count("badCalls");
      if (message.t === "ack") return delivery.onmessage?.(null);
      if (message.t === "refreshed" && typeof message.id === "number") {
        const waiting = refreshes.get(message.id);
        if (typeof message.error === "string") waiting?.reject(new GatewayError("timeout", message.error));
        else waiting?.resolve(message.token);
        return;
      }
      if (
        message.t !== "call" ||
        typeof message.id !== "number" ||
        typeof message.method !== "string" ||
        !methods.has(message.method) ||
        !Array.isArray(message.args)
      )
        return hub.counters.count("badCalls");
      const { id, method } = message;
      // A refresher cannot cross a BroadcastChannel: the tab says whether it has one, and is asked.
      const args = method === "setRefresher" ? [message.args[0] === true ? refresher : null] : message.args;
      const call = api[method as keyof WorkerApi] as (...a: unknown[]) => Promise<unknown>;
      void call(...args).then((result) => post({ t: "result", id, result: result as never }));
    };
    void api.hello(request, delivery as unknown as MessagePort).then((result) => {
      post({ t: "result", id: helloId, result });
      if (!result.ok) {
        channel.close();
        served.delete(tabId);
      }
    });
  };

  control.onmessage = (event: MessageEvent<ControlMessage>) => {
    const message = event.data as Partial<ControlMessage> | null;
    if (typeof message !== "object" || message === null || message.t !== "hello") return;
    const { tab, id, request } = message;
    if (
      typeof tab !== "string" ||
      tab.length > MAX_TAB_ID ||
      typeof id !== "number" ||
      typeof request !== "object" ||
      request === null ||
      request.tabId !== tab
    )
      return hub.counters.count("badCalls");
    // Said again while the first is answered (a tab repeats its hello until a leader answers).
    if (served.has(tab)) return;
    serve(tab, id, request);
  };
  // Tabs waiting for a leader say hello again.
  control.postMessage({ t: "leader" } satisfies ControlMessage);

  return () => {
    stopped = true;
    control.close();
    for (const channel of served.values()) channel.close();
    served.clear();
  };
}

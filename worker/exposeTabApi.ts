import * as Comlink from "comlink";
import {
  GatewayError,
  type DeliveryItem,
  type HelloRequest,
  type Result,
  type WorkerApi,
} from "../src/shared";
import type { Hub } from "./hub";
import { onlyCalls } from "./onlyCalls";

async function result<T>(run: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    // Comlink keeps only message/name/stack of thrown errors: send the code as data instead.
    return { ok: false, error: GatewayError.info(error) };
  }
}

/**
 * Serves one tab over its MessagePort: the calls of {@link WorkerApi}, answered as `Result`s.
 * The tab's end is learnt from its Web Lock (granted to us when the tab is gone), or `bye()`.
 */
export function exposeTabApi(
  hub: Hub,
  endpoint: Comlink.Endpoint,
  locks: LockManager | null,
  workerLockHeld: Promise<void> = Promise.resolve(),
): void {
  let tabId: string | null = null;
  const tab = () => {
    if (tabId === null) throw new GatewayError("closed", "say hello first");
    return tabId;
  };

  const api: WorkerApi = {
    hello: (request: HelloRequest, delivery: MessagePort) =>
      result(async () => {
        // The tab will wait for the worker's lock: it must be the worker's before it answers.
        await workerLockHeld;
        if (tabId !== null) throw new GatewayError("bad_input", "hello was already said on this port");
        const response = hub.hello(request, (batch: DeliveryItem[]) => delivery.postMessage(batch));
        const id = request.tabId;
        tabId = id;
        // Any message on the delivery port acknowledges one batch.
        delivery.onmessage = () => hub.ack(id);
        if (locks && typeof request.lockName === "string")
          void locks.request(request.lockName, () => hub.removeTab(id)).catch(() => hub.removeTab(id));
        return response;
      }),
    login: (token) => result(() => hub.login(tab(), token)),
    logout: () => result(() => hub.logout(tab()).then(() => null)),
    setRefresher: (refresher) =>
      result(() => {
        hub.setRefresher(tab(), refresher ? () => Promise.resolve(refresher()) : null);
        return null;
      }),
    spectate: (guildId, options) => result(() => hub.spectate(tab(), guildId, options ?? {})),
    focus: () => result(() => hub.focus(tab()).then(() => null)),
    subscribe: (id, spec) =>
      result(() => {
        hub.subscribe(tab(), id, spec);
        return null;
      }),
    unsubscribe: (id) =>
      result(() => {
        hub.unsubscribe(tab(), id);
        return null;
      }),
    interpret: (message) => result(() => hub.interpret(tab(), message)),
    clearCache: () => result(() => hub.clearCache(tab()).then(() => null)),
    bye: () =>
      result(() => {
        if (tabId !== null) hub.removeTab(tabId);
        return null;
      }),
  };
  Comlink.expose(
    api,
    onlyCalls(endpoint, Object.keys(api), () => hub.counters.count("badCalls")),
  );
}

import * as Comlink from "comlink";
import {
  GatewayError,
  type DeliveryItem,
  type HelloRequest,
  type Result,
  type WorkerApi,
} from "../../src/shared";
import type { Hub } from "../hub";
import { devtoolsAction } from "../devtoolsAction";
import { onlyCalls } from "./onlyCalls";

/** Runs a call as a `Result`; `refused` is told of each `bad_input` (the `refusedCalls` counter). */
async function settle<T>(run: () => T | Promise<T>, refused: () => void): Promise<Result<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    // Comlink keeps only message/name/stack of thrown errors: send the code as data instead.
    const info = GatewayError.info(error);
    if (info.code === "bad_input") refused();
    return { ok: false, error: info };
  }
}

/** What the worker needs of a tab's delivery port: to post batches, and to hear acknowledgements. */
export type DeliveryPort = Pick<MessagePort, "postMessage"> & {
  onmessage: ((event: unknown) => void) | null;
};

/**
 * The calls of {@link WorkerApi} for one tab, answered as `Result`s (never thrown). The tab's end
 * is learnt from its Web Lock (granted to us when the tab is gone), or `bye()`; `gone` is told.
 */
export function createTabApi(
  hub: Hub,
  options: {
    locks: LockManager | null;
    workerLockHeld?: Promise<void>;
    /** Leader mode: start serving the origin's other tabs (only a dedicated worker may). */
    lead?: (channelBase: string, leaderTabId: string) => void;
    gone?: (tabId: string) => void;
  },
): WorkerApi {
  const { locks } = options;
  const result = <T>(run: () => T | Promise<T>) => settle(run, () => hub.counters.count("refusedCalls"));
  let tabId: string | null = null;
  const tab = () => {
    if (tabId === null) throw new GatewayError("closed", "say hello first");
    return tabId;
  };
  /**
   * Releases the tab's refresher, a Comlink proxy, once its last call settled: each holds a
   * MessageChannel that Comlink's release on garbage collection does not close in a worker
   * (comlink#673). Called when the refresher is replaced and when the tab goes.
   */
  let retireRefresher = () => {};
  const remove = (id: string) => {
    retireRefresher();
    hub.removeTab(id);
    options.gone?.(id);
  };

  return {
    hello: (request: HelloRequest, delivery: MessagePort | DeliveryPort) =>
      result(async () => {
        // The tab will wait for the worker's lock: it must be the worker's before it answers.
        await options.workerLockHeld;
        if (tabId !== null) throw new GatewayError("bad_input", "hello was already said on this port");
        const response = hub.hello(request, (batch: DeliveryItem[]) => delivery.postMessage(batch));
        const id = request.tabId;
        tabId = id;
        // Any message on the delivery port acknowledges one batch.
        delivery.onmessage = () => hub.ack(id);
        if (locks && typeof request.lockName === "string")
          void locks.request(request.lockName, () => remove(id)).catch(() => remove(id));
        return response;
      }),
    lead: (channelBase: unknown, leaderTabId: unknown) =>
      result(async () => {
        // The tab will wait for the worker's lock: it must be the worker's before it answers.
        await options.workerLockHeld;
        if (!options.lead) throw new GatewayError("bad_input", "only a tab's own dedicated worker can lead");
        if (typeof channelBase !== "string" || channelBase.length > 2000 || typeof leaderTabId !== "string")
          throw new GatewayError("bad_input", "lead(channelBase, leaderTabId) takes two strings");
        options.lead(channelBase, leaderTabId);
        return { workerLock: hub.options.workerLock ?? null };
      }),
    login: (token) => result(() => hub.login(tab(), token)),
    logout: () => result(() => hub.logout(tab()).then(() => null)),
    setRefresher: (refresher) =>
      result(() => {
        const id = tab();
        retireRefresher();
        retireRefresher = () => {};
        if (!refresher) {
          hub.setRefresher(id, null);
          return null;
        }
        let last: Promise<unknown> = Promise.resolve();
        const proxy = refresher as { [Comlink.releaseProxy]?: () => void };
        // A proxy already released, or a plain function (leader mode, tests): nothing to do.
        retireRefresher = () => void last.finally(() => proxy[Comlink.releaseProxy]?.()).catch(() => {});
        hub.setRefresher(id, () => (last = Promise.resolve(refresher())));
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
    devtools: (action) =>
      result(() => {
        if (!hub.devtoolsAllowed(tab()))
          throw new GatewayError("bad_input", "devtools actions need connectGateway({ devtools: true })");
        const { exit } = hub.options;
        return devtoolsAction(
          action,
          hub.link,
          hub.spectator,
          exit && (() => hub.scheduler.setTimeout(exit, 0)),
        );
      }),
    bye: () =>
      result(() => {
        if (tabId !== null) remove(tabId);
        return null;
      }),
  };
}

/** Serves one tab over its MessagePort (a SharedWorker's port, or a dedicated worker's scope) with Comlink. */
export function exposeTabApi(
  hub: Hub,
  endpoint: Comlink.Endpoint,
  options: Parameters<typeof createTabApi>[1],
): void {
  const api = createTabApi(hub, options);
  Comlink.expose(
    api,
    onlyCalls(endpoint, Object.keys(api), () => hub.counters.count("badCalls")),
  );
}

/// <reference lib="webworker" />
/**
 * Entry of the SharedWorker (and, where SharedWorker is missing, of a dedicated Worker per tab):
 * one Hub, one gateway connection, every tab served over its own port.
 */
import { BUILD_ID, GatewayError, systemClock } from "../src/shared";
import { serveChannelTabs } from "./tabs/channelTabs";
import { openIndexedDbStore } from "./cache/keyValueStore";
import { exposeTabApi } from "./tabs/exposeTabApi";
import { defaultSocketFactory } from "./gateway/gatewayLink";
import { Hub } from "./hub";

const scope = self as unknown as SharedWorkerGlobalScope & DedicatedWorkerGlobalScope;

const locks = typeof navigator !== "undefined" && "locks" in navigator ? navigator.locks : null;
const workerId = crypto.randomUUID();
// Held for the worker's whole life: tabs waiting for it learn that the worker is gone.
const workerLock = locks ? `archit-gateway-worker-${workerId}` : null;
const lockHeld = new Promise<void>((held) => {
  if (!locks || !workerLock) return held();
  void locks
    .request(workerLock, () => {
      held();
      return new Promise<never>(() => {});
    })
    .catch(() => held());
});

const hub = new Hub({
  clock: systemClock,
  socketFactory: defaultSocketFactory,
  workerId,
  workerLock,
  buildId: BUILD_ID,
  log: (message) => console.warn(`[archit gateway worker] ${message}`),
  openCacheStore: openIndexedDbStore,
  exit: () => scope.close(),
});

if ("onconnect" in scope) {
  hub.role = { mode: "shared", leaderTabId: null };
  scope.onconnect = (event: MessageEvent) => {
    const port = event.ports[0];
    if (port)
      exposeTabApi(hub, port, {
        locks,
        workerLockHeld: lockHeld,
        // The tab is gone: its port (and Comlink's listener on it) goes too, after bye's answer.
        gone: () => void hub.scheduler.setTimeout(() => port.close(), 0),
      });
  };
} else {
  // A dedicated worker dies with the tab that started it. It serves that tab alone (per-tab
  // mode), or, told to lead, every tab of the origin over BroadcastChannels (leader mode).
  let leading = false;
  exposeTabApi(hub, scope, {
    locks: null,
    workerLockHeld: lockHeld,
    lead: (base, leaderTabId) => {
      if (leading) throw new GatewayError("bad_input", "this worker leads already");
      leading = true;
      hub.role = { mode: "leader", leaderTabId };
      serveChannelTabs(hub, base, locks);
    },
  });
}

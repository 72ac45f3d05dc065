/// <reference lib="webworker" />
/**
 * Entry of the SharedWorker (and, where SharedWorker is missing, of a dedicated Worker per tab):
 * one Hub, one gateway connection, every tab served over its own port.
 */
import { BUILD_ID, systemClock } from "../src/shared";
import { openIndexedDbStore } from "./cache/keyValueStore";
import { exposeTabApi } from "./exposeTabApi";
import { defaultSocketFactory } from "./gatewayLink";
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
});

if ("onconnect" in scope) {
  scope.onconnect = (event: MessageEvent) => {
    const port = event.ports[0];
    if (port) exposeTabApi(hub, port, locks, lockHeld);
  };
} else {
  // Dedicated fallback: this worker serves exactly one tab, and dies with it.
  exposeTabApi(hub, scope, null, lockHeld);
}

/// <reference lib="webworker" />
/**
 * Test-only worker entry (`?closableWorker=1` of clientPage.ts): the library's worker, which also
 * ends itself from inside (`self.close()`) when any page posts to the BroadcastChannel
 * "e2e-end-worker". Simulates Safari's bug, where a SharedWorker silently restarts when the tab
 * that created it closes.
 */
import "../../worker/sharedWorker";

// The channel a test posts to (any message), to end the worker(s) running this script.
const channel = new BroadcastChannel("e2e-end-worker");
channel.onmessage = () => {
  channel.close();
  (self as unknown as SharedWorkerGlobalScope).close();
};

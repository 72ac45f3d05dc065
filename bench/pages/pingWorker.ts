/// <reference lib="webworker" />
/** Echoes every message on every port: the floor of a page↔SharedWorker round trip. */
const scope = self as unknown as SharedWorkerGlobalScope;
scope.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = (m: MessageEvent) => port.postMessage(m.data);
  port.start();
};

export {};

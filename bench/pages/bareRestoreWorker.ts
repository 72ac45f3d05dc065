/// <reference lib="webworker" />
/**
 * The floor of a pool restore: a bare SharedWorker that reads the library's own record of a
 * member pool from IndexedDB (its head, then every part under its own key, read together) and
 * posts the JSON strings as they are to the page. No checks, no store, no snapshots.
 */
import { createStore, getMany, keys } from "idb-keyval";
import { CACHE_DB, CACHE_STORE } from "../../worker/cache/keyValueStore";

const scope = self as unknown as SharedWorkerGlobalScope;
scope.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  port.onmessage = async () => {
    const store = createStore(CACHE_DB, CACHE_STORE);
    const head = (await keys<string>(store)).find((k) => k.startsWith("d|") && k.includes("|member|"));
    if (!head) return port.postMessage({ error: "no member record on disk" });
    const [record] = await getMany<{ data: string; parts: number }>([head], store);
    port.postMessage({ data: record!.data, parts: record!.parts });
    for (let i = 1; i <= record!.parts; i++)
      void getMany<string>([`p${head.slice(1)}|${i}`], store).then(([part]) =>
        port.postMessage({ data: part }),
      );
  };
  port.start();
};

export {};

import * as Comlink from "comlink";
import { GatewayError, WORKER_NAME, type WorkerApi } from "../shared";

/** How the page reaches the worker: a SharedWorker's port, or a dedicated Worker as fallback. */
export interface WorkerConnection {
  api: Comlink.Remote<WorkerApi>;
  shared: boolean;
  /** Rejects if the worker script fails to load or run. */
  failed: Promise<never>;
  close(): void;
}

/** Creates the worker script; override to host it elsewhere. `shared: false` means a dedicated Worker. */
export type WorkerFactory = (shared: boolean) => SharedWorker | Worker;

export const defaultWorkerFactory: WorkerFactory = (shared) =>
  shared
    ? new SharedWorker(new URL("../../worker/sharedWorker.ts", import.meta.url), {
        type: "module",
        name: WORKER_NAME,
      })
    : new Worker(new URL("../../worker/sharedWorker.ts", import.meta.url), {
        type: "module",
        name: WORKER_NAME,
      });

/** Opens the worker: shared where the browser has SharedWorker (unless told not to). */
export function openWorker(factory: WorkerFactory, preferShared: boolean): WorkerConnection {
  const shared = preferShared && typeof SharedWorker !== "undefined";
  if (!shared && typeof Worker === "undefined")
    throw new GatewayError("unsupported", "this browser has neither SharedWorker nor Worker");
  const worker = factory(shared);
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (event) =>
      reject(
        new GatewayError(
          "unsupported",
          `the worker failed: ${(event as ErrorEvent).message ?? "script error"}`,
        ),
      ),
    );
  });
  failed.catch(() => {});
  if (worker instanceof Worker) {
    return { api: Comlink.wrap<WorkerApi>(worker), shared: false, failed, close: () => worker.terminate() };
  }
  const port = worker.port;
  port.start();
  const api = Comlink.wrap<WorkerApi>(port);
  return {
    api,
    shared: true,
    failed,
    close: () => {
      api[Comlink.releaseProxy]();
      port.close();
    },
  };
}

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

/**
 * The bundled worker script. Written the one way bundlers recognise (`new SharedWorker(new
 * URL("…", import.meta.url), …)` at the call site): in the shipped package the URL is
 * `./worker.js`, beside this module, and the app's bundler (Vite, webpack 5) emits it as an
 * asset of the app, same-origin as its pages. No comment may stand between `new SharedWorker(`
 * and `new URL(`: Vite's pattern would no longer match.
 */
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
  let worker: SharedWorker | Worker;
  try {
    worker = factory(shared);
  } catch (error) {
    // e.g. a SecurityError: the worker's URL is not of this page's origin (a CDN-hosted bundle).
    throw new GatewayError(
      "unsupported",
      `the worker could not be created: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener("error", (event) =>
      reject(
        new GatewayError(
          "unsupported",
          `the worker failed: ${(event as ErrorEvent).message || "its script did not load or run"} (serve the worker file from the page's origin: README, “Use it in your app”)`,
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

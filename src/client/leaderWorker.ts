import * as Comlink from "comlink";
import { GatewayError, type Result, type WorkerApi } from "../shared";
import type { WorkerFactory } from "./openWorker";

/** The leader's dedicated worker, as the election uses it. */
export interface LeaderWorker {
  lead(base: string, tabId: string): Promise<Result<{ workerLock: string | null }>>;
  /** Its script failed to load or run (called at most once). */
  onError(listener: () => void): void;
  terminate(): void;
}

/**
 * A dedicated worker from the app's factory. Throws `unsupported` when the factory throws or
 * gives something else than a dedicated `Worker`.
 */
export function dedicatedLeaderWorker(factory: WorkerFactory): LeaderWorker {
  let created: SharedWorker | Worker;
  try {
    created = factory(false);
  } catch (error) {
    throw new GatewayError("unsupported", `the worker could not be created: ${String(error)}`);
  }
  if (!(created instanceof Worker)) throw new GatewayError("unsupported", "not a dedicated Worker");
  const worker = created;
  const api = Comlink.wrap<WorkerApi>(worker);
  return {
    lead: (base, tabId) => api.lead(base, tabId),
    onError: (listener) => worker.addEventListener("error", listener, { once: true }),
    terminate: () => worker.terminate(),
  };
}

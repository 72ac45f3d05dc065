import { GatewayError, type Result } from "../shared";
import { openWorker, type WorkerFactory } from "./openWorker";

/** The leader's dedicated worker, as the election uses it. */
export interface LeaderWorker {
  lead(base: string, tabId: string): Promise<Result<{ workerLock: string | null }>>;
  /** Its script failed to load or run (called at most once). */
  onError(listener: () => void): void;
  terminate(): void;
}

/**
 * A dedicated worker from the app's factory, opened as `openWorker` opens one. Throws
 * `unsupported` when the factory throws or gives something else than a dedicated `Worker`.
 */
export function dedicatedLeaderWorker(factory: WorkerFactory): LeaderWorker {
  const conn = openWorker(factory, false);
  if (conn.shared) {
    conn.close();
    throw new GatewayError("unsupported", "not a dedicated Worker");
  }
  return {
    lead: conn.api.lead,
    onError: (listener) => void conn.failed.catch(listener),
    terminate: conn.close,
  };
}

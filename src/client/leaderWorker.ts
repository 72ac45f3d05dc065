import { GatewayError, type Result } from "../shared";
import { openWorker, type WorkerFactory } from "./openWorker";

/** The leader's dedicated worker, as the election uses it: the part of its connection it needs. */
export interface LeaderWorker {
  api: { lead(base: string, tabId: string): Promise<Result<{ workerLock: string | null }>> };
  /** Rejects if its script fails to load or run. */
  failed: Promise<never>;
  /** Terminates it. */
  close(): void;
}

/**
 * A dedicated worker from the app's factory, opened as `openWorker` opens one (its connection
 * is the leader worker). Throws `unsupported` when the factory throws or gives something else
 * than a dedicated `Worker`.
 */
export function dedicatedLeaderWorker(factory: WorkerFactory): LeaderWorker {
  const conn = openWorker(factory, false);
  if (conn.shared) {
    conn.close();
    throw new GatewayError("unsupported", "not a dedicated Worker");
  }
  return conn;
}

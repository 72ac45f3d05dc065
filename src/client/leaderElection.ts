import * as Comlink from "comlink";
import { GatewayError, leaderLockName, type Result, type WorkerApi } from "../shared";
import type { WorkerFactory } from "./openWorker";

/**
 * Leader mode: this tab competes for the leader's Web Lock for its whole life. Once granted
 * (the previous leader closed, crashed or navigated away), it starts its dedicated worker and
 * tells it to serve every tab of the origin, this one included. A leader whose worker ends
 * starts another. Returns what steps down (the lock goes to the next tab).
 */
export function competeForLead(options: {
  base: string;
  tabId: string;
  factory: WorkerFactory;
  /** Told of a worker that could not start or lead (the tabs' hellos then time out). */
  failed?: (error: GatewayError) => void;
}): () => void {
  const locks = navigator.locks;
  let stepDown = () => {};
  let stopped = false;
  let worker: Worker | null = null;
  /** Scripts that failed in a row: past 5 the tab stops trying (its hello times out). */
  let failures = 0;

  const startWorker = async (): Promise<void> => {
    if (stopped) return;
    let created: SharedWorker | Worker;
    try {
      created = options.factory(false);
    } catch (error) {
      return options.failed?.(
        new GatewayError("unsupported", `the worker could not be created: ${String(error)}`),
      );
    }
    if (!(created instanceof Worker))
      return options.failed?.(new GatewayError("unsupported", "not a dedicated Worker"));
    worker = created;
    const api = Comlink.wrap<WorkerApi>(created);
    const again = () => {
      if (worker !== created || stopped) return;
      created.terminate();
      void startWorker();
    };
    // A script that fails: try again, a few times (the tabs' hellos time out if it keeps failing).
    created.addEventListener(
      "error",
      () => {
        if (++failures <= 5) again();
        else options.failed?.(new GatewayError("unsupported", "the leader's worker keeps failing"));
      },
      { once: true },
    );
    const answer = (await api.lead(options.base, options.tabId).catch((error: unknown) => ({
      ok: false,
      error: GatewayError.info(error),
    }))) as Result<{ workerLock: string | null }>;
    if (!answer.ok) return options.failed?.(GatewayError.from(answer.error));
    failures = 0;
    // Its end (a crash, the browser or devtools stopping it) while this tab still leads: another.
    if (answer.value.workerLock) void locks.request(answer.value.workerLock, again).catch(() => {});
  };

  void locks
    .request(leaderLockName(options.base), async () => {
      if (stopped) return;
      await startWorker();
      await new Promise<void>((resolve) => {
        stepDown = resolve;
      });
    })
    .catch(() => {});

  return () => {
    stopped = true;
    worker?.terminate();
    worker = null;
    stepDown();
  };
}

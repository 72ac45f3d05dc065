import { GatewayError, leaderLockName } from "../shared";
import { stepElection, type ElectionEffect, type ElectionEvent, type ElectionPhase } from "./electionMachine";
import type { Locks } from "./environment";
import { runMachine } from "./machine";
import type { LeaderWorker } from "./leaderWorker";
import { watchLock } from "./watchLock";
import { asGatewayError, unwrap } from "./workerInstance";

/**
 * Leader mode: this tab competes for the leader's Web Lock for its whole life. Once granted
 * (the previous leader closed, crashed or navigated away), it starts its dedicated worker and
 * tells it to serve every tab of the origin, this one included. A leader whose worker ends
 * starts another. The phases are `ElectionPhase`'s; this shell only runs their effects. Returns
 * what steps down (the lock goes to the next tab; the request is withdrawn if not granted).
 */
export function competeForLead(options: {
  base: string;
  tabId: string;
  locks: Locks;
  start(): LeaderWorker;
  /** Told of a worker that could not start or lead (the tabs' hellos then fail with it). */
  failed(error: GatewayError): void;
}): () => void {
  const { locks } = options;
  // Every effect is about the latest attempt: its worker (null: it could not be created).
  let worker: LeaderWorker | null = null;
  let unwatch = () => {};
  const request = new AbortController();
  let stepDown = () => request.abort();

  const machine = runMachine<ElectionPhase, ElectionEvent, ElectionEffect>(
    { name: "waiting" },
    stepElection,
    (effect) => {
      switch (effect.type) {
        case "startWorker":
          return startWorker(effect.attempt);
        case "terminate":
          unwatch();
          worker?.close();
          worker = null;
          return;
        case "watchWorker": {
          unwatch = watchLock(locks, effect.lock, () =>
            machine.send({ type: "workerEnded", attempt: effect.attempt }),
          );
          return;
        }
        case "report":
          return options.failed(effect.error);
        case "stepDown":
          return stepDown();
      }
    },
  );

  const startWorker = (attempt: number): void => {
    try {
      worker = options.start();
    } catch (error) {
      return machine.send({ type: "startFailed", attempt, error: asGatewayError(error) });
    }
    void worker.failed.catch(() => machine.send({ type: "scriptFailed", attempt }));
    // A refusal keeps its code; anything else thrown is a 500 (as `GatewayError.info` says).
    void unwrap(worker.api.lead(options.base, options.tabId)).then(
      ({ workerLock }) => machine.send({ type: "leadAnswered", attempt, workerLock }),
      (error: unknown) =>
        machine.send({ type: "leadRefused", attempt, error: GatewayError.from(GatewayError.info(error)) }),
    );
  };

  void locks
    .request(
      leaderLockName(options.base),
      { signal: request.signal },
      () =>
        new Promise<void>((resolve) => {
          stepDown = resolve;
          machine.send({ type: "granted" });
        }),
    )
    .catch(() => {});

  return () => machine.send({ type: "stop" });
}

import { GatewayError } from "../shared";
import { step, type Step } from "./machine";

/** Worker scripts that may fail in a row before the leader stops starting them. */
export const MAX_SCRIPT_FAILURES = 5;

/**
 * Leader mode, one tab's part in the election. Each worker this tab starts is an `attempt`
 * (numbered from 1); an event about an older attempt changes nothing.
 *
 * - `waiting`: queued for the leader's Web Lock (another tab leads).
 * - `starting`: this tab leads; its dedicated worker was started and asked to `lead`.
 *   `failures`: its scripts that failed in a row.
 * - `leading`: the worker serves every tab of the origin.
 * - `failed`: this tab leads, but no worker serves (the reason was told: the tabs' hellos
 *   fail with it). It keeps the lock; an error of the attempt's worker still starts another.
 * - `stopped`: stepped down (the client closed); final.
 *
 * ```
 * waiting ─granted→ starting ─leadAnswered→ leading ─workerEnded | scriptFailed→ starting
 *                   starting ─startFailed | leadRefused | scriptFailed (past 5)→ failed
 *                   starting | failed ─scriptFailed (up to 5)→ starting
 * any ─stop→ stopped
 * ```
 */
export type ElectionPhase =
  | { name: "waiting" }
  | { name: "starting"; attempt: number; failures: number }
  | { name: "leading"; attempt: number }
  | { name: "failed"; attempt: number; failures: number }
  | { name: "stopped" };

export type ElectionEvent =
  /** The leader's lock was granted to this tab. */
  | { type: "granted" }
  /** The worker could not be created (the factory threw, or gave no dedicated Worker). */
  | { type: "startFailed"; attempt: number; error: GatewayError }
  /** The worker's script failed to load or run (its `error` event). */
  | { type: "scriptFailed"; attempt: number }
  /** The worker leads; `workerLock` is held for its whole life. */
  | { type: "leadAnswered"; attempt: number; workerLock: string | null }
  /** The worker refused to lead. */
  | { type: "leadRefused"; attempt: number; error: GatewayError }
  /** The worker's lifetime lock was granted: it ended (crashed, or stopped by the browser or devtools). */
  | { type: "workerEnded"; attempt: number }
  /** The client closed: step down. */
  | { type: "stop" };

export type ElectionEffect =
  | { type: "startWorker"; attempt: number }
  | { type: "terminate" }
  /** Ask for the worker's lifetime lock: granted when the worker ends. */
  | { type: "watchWorker"; attempt: number; lock: string }
  /** Tell the tab's link: no worker serves (its hello fails with `error`). */
  | { type: "report"; error: GatewayError }
  /** Let the leader's lock go (or withdraw the request if not granted). */
  | { type: "stepDown" };

/**
 * The worker of `attempt` failed its script or ended: another, unless `failures` (scripts that
 * failed in a row) are too many.
 */
const retry = (attempt: number, failures: number): Step<ElectionPhase, ElectionEffect> =>
  failures <= MAX_SCRIPT_FAILURES
    ? step(
        { name: "starting", attempt: attempt + 1, failures },
        { type: "terminate" },
        { type: "startWorker", attempt: attempt + 1 },
      )
    : step(
        { name: "failed", attempt, failures },
        { type: "report", error: new GatewayError("unsupported", "the leader's worker keeps failing") },
      );

/** Pure: the next phase of the election and what to do, for `event` in `phase`. */
export function stepElection(
  phase: ElectionPhase,
  event: ElectionEvent,
): Step<ElectionPhase, ElectionEffect> {
  if (event.type === "stop") {
    if (phase.name === "stopped") return step(phase);
    const terminate: ElectionEffect[] = phase.name === "waiting" ? [] : [{ type: "terminate" }];
    return step({ name: "stopped" }, ...terminate, { type: "stepDown" });
  }
  if (event.type === "granted") {
    if (phase.name === "waiting")
      return step({ name: "starting", attempt: 1, failures: 0 }, { type: "startWorker", attempt: 1 });
    // Granted after the client closed: let it go at once.
    return phase.name === "stopped" ? step(phase, { type: "stepDown" }) : step(phase);
  }
  if (phase.name === "waiting" || phase.name === "stopped" || event.attempt !== phase.attempt)
    return step(phase);
  switch (event.type) {
    case "startFailed":
    case "leadRefused":
      if (phase.name !== "starting") return step(phase);
      return step(
        { name: "failed", attempt: phase.attempt, failures: phase.failures },
        { type: "report", error: event.error },
      );
    case "leadAnswered":
      if (phase.name !== "starting") return step(phase);
      return step(
        { name: "leading", attempt: phase.attempt },
        ...(event.workerLock
          ? [{ type: "watchWorker", attempt: phase.attempt, lock: event.workerLock } as const]
          : []),
      );
    case "scriptFailed":
      return retry(phase.attempt, (phase.name === "leading" ? 0 : phase.failures) + 1);
    case "workerEnded":
      return phase.name === "leading" ? retry(phase.attempt, 0) : step(phase);
  }
}

import { GatewayError } from "../shared";
import { step, type Step } from "./machine";

/** How the link tells a worker that ended from a crash loop. */
export interface LinkRules {
  /** A worker that ends sooner than this after its start died quickly (0: none counts). */
  minLifeMs: number;
  /** Quick deaths in a row past which no other worker is started. */
  maxQuickDeaths: number;
}

/** A worker that ends within 10 s of its start, 6 times in a row, is a crash loop. */
export const DEFAULT_LINK_RULES: LinkRules = { minLifeMs: 10_000, maxQuickDeaths: 5 };

/**
 * The tab's line to its worker. Each worker it talks to is an `attempt` (the first is 1); an
 * event about an older attempt changes nothing. `quickDeaths`: workers in a row that ended soon
 * after their start.
 *
 * - `starting`: the attempt's worker was opened and asked `hello` (`restart`: it replaces one
 *   that ended). Calls wait for its answer.
 * - `ready`: it accepted the tab; calls run on it.
 * - `broken`: the leader's worker could not start or lead after this one accepted the tab;
 *   calls fail with `error` until the worker's end is seen (then another starts).
 * - `failed`: no worker will serve the tab (its hello failed, it kept ending, the replacement
 *   could not open); calls fail with `error`. Final but for `close`.
 * - `closing`: `close()` began: bye is said once the attempt answered hello (null: nothing open).
 * - `closed`: everything let go; calls fail `closed`.
 *
 * ```
 * starting ─helloAnswered→ ready ─leaderFailed→ broken
 * ready | broken ─workerGone→ starting (restart) | failed (past maxQuickDeaths)
 * starting ─helloFailed | leaderFailed | startFailed→ failed
 * starting | ready | broken ─close→ closing ─byeDone→ closed;  failed ─close→ closed
 * closing ─workerGone | leaderFailed→ closing (the attempt's calls, bye included, end)
 * ```
 */
export type LinkPhase =
  | { name: "starting"; attempt: number; restart: boolean; startedAt: number; quickDeaths: number }
  | { name: "ready"; attempt: number; startedAt: number; quickDeaths: number }
  | { name: "broken"; attempt: number; startedAt: number; quickDeaths: number; error: GatewayError }
  | { name: "failed"; error: GatewayError }
  | { name: "closing"; attempt: number | null }
  | { name: "closed" };

export type LinkEvent =
  /** The attempt's worker accepted the tab (`workerLock`: held for the worker's whole life). */
  | { type: "helloAnswered"; attempt: number; workerLock: string | null }
  /** It refused the tab, failed to load, or did not answer in time. */
  | { type: "helloFailed"; attempt: number; error: GatewayError }
  /** Opening the replacement of an ended worker threw. */
  | { type: "startFailed"; attempt: number; error: GatewayError }
  /** The worker's lifetime lock was granted: it ended (killed by the browser or devtools, crashed). */
  | { type: "workerGone"; attempt: number; at: number }
  /** Leader mode: this tab leads and its worker could not start or lead. */
  | { type: "leaderFailed"; error: GatewayError }
  | { type: "close" }
  /** Bye was said (or there was no one to say it to). */
  | { type: "byeDone" };

export type LinkEffect =
  /** Open a worker for `attempt` and say hello. */
  | { type: "start"; attempt: number }
  /** Ask for the worker's lifetime lock: granted when it ends. */
  | { type: "watch"; attempt: number; lock: string }
  /** Calls in flight on the attempt reject with `error`; its worker stays open. */
  | { type: "abort"; error: GatewayError }
  /** As `abort`, then close the attempt's delivery port and worker connection. */
  | { type: "drop"; error: GatewayError }
  | { type: "sayBye" }
  /** Stop competing for leadership, let the tab's lock go. */
  | { type: "release" }
  | { type: "lost" }
  | { type: "restarted" }
  | { type: "failed"; error: GatewayError };

/** The attempt's worker is not coming back: fail, telling the listeners if it replaced one. */
const fail = (restart: boolean, error: GatewayError): Step<LinkPhase, LinkEffect> =>
  step(
    { name: "failed", error },
    { type: "drop", error },
    ...(restart ? [{ type: "failed", error } as const] : []),
  );

/** Pure: the link's next phase and what to do, for `event` in `phase`. */
export function stepLink(
  phase: LinkPhase,
  event: LinkEvent,
  rules: LinkRules = DEFAULT_LINK_RULES,
): Step<LinkPhase, LinkEffect> {
  switch (event.type) {
    case "close":
      if (phase.name === "failed") return step({ name: "closed" }, { type: "release" });
      if (phase.name === "closing" || phase.name === "closed") return step(phase);
      return step({ name: "closing", attempt: phase.attempt }, { type: "sayBye" });
    case "byeDone":
      if (phase.name !== "closing") return step(phase);
      return step(
        { name: "closed" },
        ...(phase.attempt === null ? [] : [{ type: "drop", error: closedError() } as const]),
        { type: "release" },
      );
    case "leaderFailed":
      if (phase.name === "starting") return fail(phase.restart, event.error);
      if (phase.name === "ready")
        return step({ ...phase, name: "broken", error: event.error }, { type: "abort", error: event.error });
      if (phase.name === "closing" && phase.attempt !== null)
        return step(phase, { type: "abort", error: event.error });
      return step(phase);
  }
  if (!("attempt" in phase) || phase.attempt !== event.attempt) return step(phase);
  switch (event.type) {
    case "helloAnswered":
      if (phase.name !== "starting") return step(phase);
      return step(
        { name: "ready", attempt: phase.attempt, startedAt: phase.startedAt, quickDeaths: phase.quickDeaths },
        ...(event.workerLock
          ? [{ type: "watch", attempt: phase.attempt, lock: event.workerLock } as const]
          : []),
        ...(phase.restart ? [{ type: "restarted" } as const] : []),
      );
    case "helloFailed":
    case "startFailed":
      if (phase.name !== "starting") return step(phase);
      // A replacement that never answered (Firefox attaches a SharedWorker made as the previous
      // one ends to that ending worker): another one, counted as a quick death.
      if (phase.restart && event.error.code === "timeout") {
        const attempt = phase.attempt + 1;
        const quickDeaths = phase.quickDeaths + 1;
        if (quickDeaths > rules.maxQuickDeaths) return fail(true, event.error);
        return step(
          { ...phase, attempt, quickDeaths },
          { type: "drop", error: event.error },
          { type: "start", attempt },
        );
      }
      return fail(phase.restart, event.error);
    case "workerGone": {
      // Closing: nobody will answer bye now; the attempt's calls (bye too) end, and the closing with them.
      if (phase.name === "closing")
        return step(phase, { type: "abort", error: new GatewayError("disconnected", "the worker ended") });
      if (phase.name !== "ready" && phase.name !== "broken") return step(phase);
      const gone: LinkEffect[] = [{ type: "drop", error: workerEnded() }, { type: "lost" }];
      const quickDeaths = event.at - phase.startedAt < rules.minLifeMs ? phase.quickDeaths + 1 : 0;
      if (quickDeaths > rules.maxQuickDeaths) {
        const error = new GatewayError("unsupported", "the worker keeps ending: not starting another");
        return step({ name: "failed", error }, ...gone, { type: "failed", error });
      }
      const attempt = phase.attempt + 1;
      return step({ name: "starting", attempt, restart: true, startedAt: event.at, quickDeaths }, ...gone, {
        type: "start",
        attempt,
      });
    }
  }
}

const workerEnded = (): GatewayError =>
  new GatewayError("disconnected", "the worker ended; a new one is starting");

/** The error of every call after `close()`. */
export const closedError = (): GatewayError => new GatewayError("closed", "this client was closed");

import type * as Comlink from "comlink";
import { GatewayError, leaderBase, type DeliveryItem, type Result, type WorkerApi } from "../shared";
import type { ClientEnvironment } from "./environment";
import { competeForLead } from "./leaderElection";
import {
  DEFAULT_LINK_RULES,
  closedError,
  stepLink,
  type LinkEffect,
  type LinkEvent,
  type LinkPhase,
} from "./linkMachine";
import { runMachine } from "./machine";
import { holdTabLock } from "./tabLock";
import { watchLock } from "./watchLock";
import {
  asGatewayError,
  openWorkerInstance,
  unwrap,
  type Hello,
  type LinkSettings,
  type WorkerInstance,
} from "./workerInstance";

export type { Hello, LinkSettings } from "./workerInstance";

/** This tab's line to the worker, which starts a new worker when the one it talks to ends. */
export interface WorkerLink {
  /** The first worker's answer to hello. */
  readonly ready: Promise<Hello>;
  /**
   * Runs a call on the current worker. Rejects `disconnected` when the worker ends before it
   * answers (a new one is started), `closed` after `close()`: it never stays pending. With
   * `retry`, a call the ended worker did not answer is made once more on the next worker.
   */
  call<T>(
    run: (api: Comlink.Remote<WorkerApi>) => Promise<Result<T>>,
    options?: { retry?: boolean },
  ): Promise<T>;
  /** `close()` has begun. */
  isClosed(): boolean;
  /** Says bye to the worker, then lets go of every port, lock and timer. */
  close(): Promise<void>;
}

/** What the link tells its owner. */
export interface LinkListeners {
  /** Delivery batches from the worker. */
  deliver(items: DeliveryItem[]): void;
  /** The worker ended (a new one is starting). */
  lost(): void;
  /** A new worker accepted this tab after the previous one ended. */
  restarted(): void;
  /**
   * No worker will serve this tab any more (the replacement's script failed, it kept ending, or
   * it refused this tab): every later call rejects with `error` too.
   */
  failed(error: GatewayError): void;
}

/**
 * The link's shell: `stepLink` decides (see `LinkPhase`), this runs the effects: it opens
 * workers, says hello, watches their lifetime locks, and in leader mode competes for the lead.
 * Every effect is about the latest attempt, the one worker open (or none, between the end of one
 * and the start of the next, or when it could not be opened).
 */
export function createWorkerLink(
  settings: LinkSettings,
  on: LinkListeners,
  env: ClientEnvironment,
): WorkerLink {
  const tabId = env.randomId();
  const tabLock = holdTabLock(tabId, env.locks);
  let current: WorkerInstance | undefined;
  let unwatch = () => {};
  let stopLeading = () => {};
  // A leader's worker ends whenever its tab goes: handovers in a row are no crash loop (the
  // election limits failing scripts itself).
  const rules = settings.mode === "leader" ? { ...DEFAULT_LINK_RULES, minLifeMs: 0 } : DEFAULT_LINK_RULES;
  let finish = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const closed = () => machine.phase.name === "closing" || machine.phase.name === "closed";

  const open = (attempt: number): WorkerInstance => {
    // A SharedWorker that replaces one that ended is made a moment later: Firefox attaches one
    // made as the previous worker ends to that ending worker, which never answers.
    const delay = attempt > 1 && settings.mode === "shared" ? env.restartDelayMs : 0;
    const instance = openWorkerInstance(settings, env, tabId, tabLock.name, on.deliver, delay);
    instance.hello.then(
      (answer) => machine.send({ type: "helloAnswered", attempt, workerLock: answer.workerLock }),
      (error: unknown) => machine.send({ type: "helloFailed", attempt, error: asGatewayError(error) }),
    );
    return (current = instance);
  };

  const run = (effect: LinkEffect): void => {
    const instance = current;
    switch (effect.type) {
      case "start":
        try {
          open(effect.attempt);
        } catch (error) {
          machine.send({ type: "startFailed", attempt: effect.attempt, error: asGatewayError(error) });
        }
        return;
      case "watch": {
        if (!env.locks) return;
        unwatch = watchLock(env.locks, effect.lock, () =>
          machine.send({ type: "workerGone", attempt: effect.attempt, at: env.clock.now() }),
        );
        return;
      }
      case "abort":
        return instance?.abort(effect.error);
      case "drop":
        current = undefined;
        unwatch();
        return instance?.close(effect.error);
      case "sayBye":
        // No worker open (its replacement could not be): nobody to say bye to.
        void Promise.resolve(
          // (A replacement not made yet was told nothing.)
          instance?.conn &&
            instance.hello.then(() => Promise.race([instance.conn!.api.bye(), instance.lost])),
        )
          .catch(() => {})
          .then(() => machine.send({ type: "byeDone" }));
        return;
      case "release":
        stopLeading();
        tabLock.release();
        return finish();
      case "failed":
        return on.failed(effect.error);
      default:
        // lost, restarted: told to the owner.
        return on[effect.type]();
    }
  };

  const machine = runMachine<LinkPhase, LinkEvent, LinkEffect>(
    { name: "starting", attempt: 1, restart: false, startedAt: env.clock.now(), quickDeaths: 0 },
    (phase, event) => stepLink(phase, event, rules),
    run,
  );
  let first: WorkerInstance;
  try {
    first = open(1);
  } catch (error) {
    tabLock.release();
    throw error;
  }
  // Leader mode: every tab competes to lead for its whole life; each talks to whoever leads.
  // A leader's worker that cannot start fails this tab's calls with the reason, not a timeout.
  if (settings.mode === "leader" && env.locks)
    stopLeading = competeForLead({
      base: leaderBase(settings.url),
      tabId,
      locks: env.locks,
      start: () => env.leaderWorker(),
      failed: (error) => machine.send({ type: "leaderFailed", error }),
    });

  const link: WorkerLink = {
    ready: first.hello,
    call(run, callOptions) {
      const phase = machine.phase;
      const instance = current;
      if (closed()) return Promise.reject(closedError());
      if ("error" in phase) return Promise.reject(phase.error);
      if (!instance) return Promise.reject(new GatewayError("disconnected", "the worker ended"));
      const attempt = instance.hello.then(() =>
        // (Open once hello answered.)
        Promise.race([unwrap((async () => run(instance.conn!.api))()), instance.lost]),
      );
      if (!callOptions?.retry) return attempt;
      return attempt.catch((error: unknown) => {
        // Made again on the next worker (or rejected with the reason there is none).
        if (error instanceof GatewayError && error.code === "disconnected" && current !== instance)
          return link.call(run);
        throw error;
      });
    },
    isClosed: closed,
    close() {
      if (closed()) return Promise.resolve();
      machine.send({ type: "close" });
      return finished;
    },
  };
  return link;
}

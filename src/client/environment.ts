import type { Clock, GatewayMode } from "../shared";
import { openChannelConnection } from "./channelConnection";
import { dedicatedLeaderWorker, type LeaderWorker } from "./leaderWorker";
import { openWorker, type WorkerConnection, type WorkerFactory } from "./openWorker";

/** The Web Locks the page client uses: `navigator.locks`, or a fake in tests. */
export interface Locks {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<unknown> | unknown,
  ): Promise<unknown>;
}

/** What the page's lifecycle listeners listen to: `window` and `document`, or fakes in tests. */
export interface PageTargets {
  window: Pick<EventTarget, "addEventListener" | "removeEventListener">;
  document: Pick<EventTarget, "addEventListener" | "removeEventListener"> & {
    readonly visibilityState: DocumentVisibilityState;
  };
}

/**
 * Everything the page client takes from the browser, in one seam: tests build the client over
 * fakes (a manual clock, fake locks, event targets, ports and workers), with no browser.
 */
export interface ClientEnvironment {
  /** The hello timeout, the quick-death window, the wait for a session after a restart. */
  clock: Clock;
  /** null where the browser has no Web Locks (the tab is then released by pagehide/close only). */
  locks: Locks | null;
  /** null outside a page: no focus, visibility or pagehide listeners. */
  page: PageTargets | null;
  /** A delivery channel: the tab keeps `port1`, `port2` goes to the worker. */
  channel(): { port1: MessagePort; port2: MessagePort };
  /** A random id (this tab's). */
  randomId(): string;
  /** Opens this tab's line to the worker for `mode` (leader mode: over `base`'s channels). */
  connect(mode: GatewayMode, base: string, tabId: string): WorkerConnection;
  /** Leader mode: starts the dedicated worker that serves every tab while this tab leads. */
  leaderWorker(): LeaderWorker;
  /** How long after the end of a SharedWorker its replacement is made (`RESTART_DELAY_MS`). */
  restartDelayMs: number;
}

/**
 * A SharedWorker made as the previous one ends may be attached to that ending worker, which
 * never answers (Firefox 153: within about 0 ms of its end; made 100 ms later it is a new one).
 */
export const RESTART_DELAY_MS = 150;

/** The browser's environment: its clock, `navigator.locks`, `window`/`document`, real workers. */
export function browserEnvironment(factory: WorkerFactory): ClientEnvironment {
  return {
    clock: {
      now: () => Date.now(),
      setTimeout(callback, ms) {
        const handle = setTimeout(callback, ms);
        return () => clearTimeout(handle);
      },
    },
    locks: typeof navigator !== "undefined" && "locks" in navigator ? navigator.locks : null,
    page: typeof document !== "undefined" ? { window, document } : null,
    channel: () => new MessageChannel(),
    randomId: () => crypto.randomUUID(),
    connect: (mode, base, tabId) =>
      mode === "leader" ? openChannelConnection(base, tabId) : openWorker(factory, mode === "shared"),
    leaderWorker: () => dedicatedLeaderWorker(factory),
    restartDelayMs: RESTART_DELAY_MS,
  };
}

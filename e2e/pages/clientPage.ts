/**
 * A page that uses the library as an app would: `window.gateway` is its client (connected to
 * the gateway in `?gateway=`), `window.track(name, observable)` records what an observable emits.
 */
import type { Observable, Subscription } from "rxjs";
import { connectGateway, type GatewayClient, type GatewayMode } from "../../src";
import { defaultWorkerFactory, type WorkerFactory } from "../../src/client/openWorker";

export interface ClientPage {
  gateway: GatewayClient;
  seen: Record<string, unknown[]>;
  errors: Record<string, unknown>;
  track(name: string, observable: Observable<unknown>): void;
  untrack(name: string): void;
  last<T>(name: string): T | undefined;
}

const params = new URLSearchParams(location.search);
const url = params.get("gateway") ?? "http://127.0.0.1:4100";
const subscriptions = new Map<string, Subscription>();
let started = 0;
/** `?brokenRestart=1`: the first worker is the real one; any later one's script is missing (a deploy removed it). */
const brokenRestart: WorkerFactory = (shared) =>
  started++ === 0
    ? defaultWorkerFactory(shared)
    : new SharedWorker("/missing-worker-of-an-old-build.js", { type: "module", name: "missing" });
/** `?closableWorker=1`: the worker of closableWorker.ts, which a post to "e2e-end-worker" ends from inside. */
const closableWorker: WorkerFactory = (shared) =>
  shared
    ? new SharedWorker(new URL("./closableWorker.ts", import.meta.url), {
        type: "module",
        name: "archit-gateway-e2e-closable",
      })
    : new Worker(new URL("./closableWorker.ts", import.meta.url), {
        type: "module",
        name: "archit-gateway-e2e-closable",
      });
const page: ClientPage = {
  gateway: connectGateway({
    url,
    shared: params.get("shared") !== "0",
    // `?mode=leader|per-tab|shared|auto`.
    ...(params.get("mode") ? { mode: params.get("mode") as GatewayMode } : {}),
    // `?firstDelay=ms`: how soon the worker's first reconnection may come (default 1 s).
    ...(params.get("firstDelay") ? { reconnect: { firstDelayMs: Number(params.get("firstDelay")) } } : {}),
    // `?backlog=n`: what the worker may hold for this tab while it does not take deliveries.
    ...(params.get("backlog") ? { backlog: Number(params.get("backlog")) } : {}),
    // `?devtools=1`: devtools actions allowed (`client.devtools()`).
    ...(params.get("devtools") ? { devtools: true } : {}),
    ...(params.get("brokenRestart") ? { worker: brokenRestart } : {}),
    ...(params.get("closableWorker") ? { worker: closableWorker } : {}),
    // `?brokenFactory=1`: the app's worker factory throws (e.g. a worker URL of another origin).
    ...(params.get("brokenFactory")
      ? {
          worker: () => {
            throw new DOMException("the worker script is on another origin", "SecurityError");
          },
        }
      : {}),
  }),
  seen: {},
  errors: {},
  track(name, observable) {
    page.seen[name] = [];
    subscriptions.set(
      name,
      observable.subscribe({
        next: (v) => page.seen[name]?.push(v),
        error: (e: unknown) => {
          page.errors[name] = { code: (e as { code?: unknown }).code, message: (e as Error).message };
        },
      }),
    );
  },
  untrack(name) {
    subscriptions.get(name)?.unsubscribe();
    subscriptions.delete(name);
  },
  last<T>(name: string) {
    const all = page.seen[name];
    return all?.[all.length - 1] as T | undefined;
  },
};
(window as unknown as { clientPage: ClientPage }).clientPage = page;

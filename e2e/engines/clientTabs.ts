import type { Gateway } from "../../demo/gateway/createGateway";
import type { EngineBrowser, EngineTab, PageFunction } from "./engine";

/** How often `until` asks the page again. */
const POLL_MS = 50;

/**
 * Polls `fn(arg)` in the tab until its value is accepted (by default: truthy), and returns that
 * value; rejects after `timeout` ms with the value the page last gave. The engines' waitForFunction.
 */
export async function until<R, A = undefined>(
  tab: EngineTab,
  fn: PageFunction<A, R>,
  arg?: A,
  options: { timeout?: number; what?: string; accept?: (value: R) => boolean } = {},
): Promise<R> {
  const timeout = options.timeout ?? 10_000;
  const accept = options.accept ?? ((value: R) => Boolean(value));
  const end = Date.now() + timeout;
  for (;;) {
    const last = await tab.run(fn, arg);
    if (accept(last)) return last;
    if (Date.now() > end)
      throw new Error(
        `${options.what ?? fn.toString().slice(0, 200)}: still ${JSON.stringify(last)} after ${timeout} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The URL of the e2e client page (e2e/pages/clientPage.ts) for `gateway`, with `query` (`&name=value…`). */
export const clientPageUrl = (appUrl: string, gateway: Pick<Gateway, "url">, query = "") =>
  `${appUrl}/e2e/pages/clientPage.html?gateway=${encodeURIComponent(gateway.url)}${query}`;

/** Waits until the client page's worker accepted the tab (`gateway.ready`). */
export async function clientReady(tab: EngineTab): Promise<void> {
  await until(tab, () => typeof window.clientPage !== "undefined", undefined, { what: "clientPage" });
  await tab.run(() => window.clientPage.gateway.ready.then(() => null));
}

/**
 * Opens the client page in a new tab of `browser` (helpers.openTab for every engine) and waits
 * until the worker accepted it. `query` is added to the URL (`&mode=leader&closableWorker=1`…).
 */
export async function openClientTab(
  browser: EngineBrowser,
  appUrl: string,
  gateway: Pick<Gateway, "url">,
  query = "",
): Promise<EngineTab> {
  const tab = await browser.openTab(clientPageUrl(appUrl, gateway, query));
  await clientReady(tab);
  return tab;
}

/** Opens `n` client tabs one after the other. */
export async function openClientTabs(
  browser: EngineBrowser,
  appUrl: string,
  gateway: Pick<Gateway, "url">,
  n: number,
  query = "",
): Promise<EngineTab[]> {
  const tabs: EngineTab[] = [];
  for (let i = 0; i < n; i++) tabs.push(await openClientTab(browser, appUrl, gateway, query));
  return tabs;
}

/** What `gateway.ready` said in the tab: the worker's id, the mode, the tab's id. */
export const hello = (tab: EngineTab) =>
  tab.run(() =>
    window.clientPage.gateway.ready.then((r) => ({ workerId: r.workerId, mode: r.mode, tabId: r.tabId })),
  );

/** The workers alive in the origin: the Web Locks each holds for its life (`archit-gateway-worker-…`). */
export const workerLocks = (tab: EngineTab) =>
  tab.run(async () =>
    ((await navigator.locks.query()).held ?? [])
      .map((lock) => lock.name ?? "")
      .filter((name) => name.startsWith("archit-gateway-worker-")),
  );

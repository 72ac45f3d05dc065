import type { BrowserContext, Page } from "@playwright/test";
import type { Gateway } from "../demo/gateway/createGateway";
import { openTab } from "./helpers";

/** The secret of the e2e gateways (a restarted one must accept the same tokens). */
export const E2E_SECRET = "e2e-secret-0123456789abcdef0123456789";

/**
 * Everything the page's origin stores, as text: every object store of every IndexedDB database
 * (keys and values), localStorage, sessionStorage, cookies and the Cache API (where the engine
 * has it). Runs in the page (self-contained: its source is sent there).
 */
export async function storageInPage(): Promise<string> {
  const request = <T>(r: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  const out: string[] = [];
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await request(indexedDB.open(info.name));
    for (const name of Array.from(db.objectStoreNames)) {
      const store = db.transaction(name, "readonly").objectStore(name);
      out.push(
        JSON.stringify(await request(store.getAllKeys())),
        JSON.stringify(await request(store.getAll())),
      );
    }
    db.close();
  }
  out.push(JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.cookie);
  if (typeof caches !== "undefined")
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) out.push(req.url, await ((await cache.match(req))?.text() ?? ""));
    }
  return out.join("\n");
}

/** `storageInPage` in a Playwright page. */
export function dumpStorage(page: Page): Promise<string> {
  return page.evaluate(storageInPage);
}

/**
 * Opens a tab of a new worker life: the previous SharedWorker (`previousWorkerId`) must be gone
 * (every tab of it closed), so this one starts from IndexedDB alone.
 */
export async function workerLife(
  context: BrowserContext,
  appUrl: string,
  gateway: Gateway,
  previousWorkerId: string,
): Promise<Page> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const tab = await openTab(context, appUrl, gateway);
    const { workerId } = await tab.evaluate(() => window.clientPage.gateway.ready);
    if (workerId !== previousWorkerId) return tab;
    // The browser has not ended the old worker yet: leave it alone a moment longer.
    await tab.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the previous SharedWorker never ended");
}

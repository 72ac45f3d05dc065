import type { EngineTab } from "./engine";

/**
 * e2e/storage's dumpStorage for every engine: everything the page's origin stores, as text
 * (every object store of every IndexedDB database, localStorage, sessionStorage, cookies, the
 * Cache API where the engine has it).
 */
export function storageDump(tab: EngineTab): Promise<string> {
  return tab.run(async () => {
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
        for (const req of await cache.keys())
          out.push(req.url, await ((await cache.match(req))?.text() ?? ""));
      }
    return out.join("\n");
  });
}

/** Whether a storage dump holds an id as a JSON string (also inside a JSON string: escaped quotes). */
export const holds = (dump: string, id: string) => dump.includes(`"${id}"`) || dump.includes(`\\"${id}\\"`);

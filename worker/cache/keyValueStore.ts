import { clear, createStore, delMany, getMany, keys, promisifyRequest, type UseStore } from "idb-keyval";

/** The storage the pool cache needs: IndexedDB through idb-keyval, or anything shaped like it. */
export interface KeyValueStore {
  getMany(keys: string[]): Promise<unknown[]>;
  /** Writes every entry in one transaction: all or nothing. */
  setMany(entries: [string, unknown][]): Promise<void>;
  delMany(keys: string[]): Promise<void>;
  keys(): Promise<string[]>;
  clear(): Promise<void>;
  /** Time this thread spent in the store's synchronous work (cloning values into IndexedDB), ms. */
  readonly busyMs?: number;
}

/** Opens a store, or says why there is none (the cache then runs memory-only). */
export type OpenStore = () => Promise<KeyValueStore>;

/** Database and object store of the pool cache. */
export const CACHE_DB = "archit-gateway-cache";
export const CACHE_STORE = "pools";

/**
 * IndexedDB through idb-keyval. Opening is tried at once (a read of the keys), so blocked
 * storage, a private mode without IndexedDB or a broken database fails here, with its reason.
 */
export const openIndexedDbStore: OpenStore = async () => {
  if (typeof indexedDB === "undefined") throw new Error("IndexedDB is not available in this context");
  const store: UseStore = createStore(CACHE_DB, CACHE_STORE);
  let busyMs = 0;
  const adapter: KeyValueStore = {
    getMany: (k) => getMany(k, store),
    // idb-keyval's setMany, timed: put() clones each value on this thread.
    setMany: (entries) =>
      store("readwrite", (s) => {
        const started = performance.now();
        for (const [key, value] of entries) s.put(value, key);
        busyMs += performance.now() - started;
        return promisifyRequest(s.transaction);
      }),
    delMany: (k) => delMany(k, store),
    keys: () => keys<string>(store),
    clear: () => clear(store),
    get busyMs() {
      return busyMs;
    },
  };
  await adapter.keys();
  return adapter;
};

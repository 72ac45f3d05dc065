import { IDBFactory } from "fake-indexeddb";
import { io } from "socket.io-client";
import { afterEach, beforeEach } from "vitest";
import { systemClock, type CacheSettings } from "../../src/shared";
import { openIndexedDbStore, type OpenStore } from "../cache/keyValueStore";
import type { SocketFactory } from "../gateway/gatewayLink";
import { Hub } from "../hub";
import { FakeTab } from "./fakeTab";
import type { HubHarness } from "./hubHarness";

/** Cache settings of the tabs of the cache tests. */
export const CACHE_SETTINGS: CacheSettings = { buster: "", maxAgeMs: 86_400_000, maxBytes: 50_000_000 };
/** Hub options of the cache tests: IndexedDB (fake-indexeddb in Node), short windows. */
export const CACHE_HUB = {
  openCacheStore: openIndexedDbStore,
  cacheWriteIntervalMs: 20,
  catchUpGraceMs: 150,
};

/** A later worker life over the same IndexedDB; its socket connects only when `online()` is called. */
export interface WorkerLife {
  hub: Hub;
  /** A tab of this life (of `url`, by default the gateway's). */
  tab(url?: string): FakeTab;
  online(): void;
}

/** Makes later worker lives, and closes them all at the end of a test. */
export class WorkerLives {
  private readonly lives: { hub: Hub; tabs: FakeTab[] }[] = [];

  next(gatewayUrl: string, openCacheStore: OpenStore = openIndexedDbStore): WorkerLife {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const socketFactory: SocketFactory = (url) => {
      const socket = io(url, { autoConnect: false, transports: ["websocket"], reconnectionDelay: 100 });
      void gate.then(() => socket.connect());
      return socket;
    };
    const hub = new Hub({
      clock: systemClock,
      socketFactory,
      workerId: "next",
      buildId: "test",
      ...CACHE_HUB,
      openCacheStore,
    });
    const entry = { hub, tabs: [] as FakeTab[] };
    this.lives.push(entry);
    return {
      hub,
      tab(url = gatewayUrl) {
        const tab = new FakeTab(hub, url, CACHE_SETTINGS);
        entry.tabs.push(tab);
        return tab;
      },
      online: release,
    };
  }

  closeAll(): void {
    for (const { hub, tabs } of this.lives.splice(0)) {
      for (const tab of tabs) tab.close();
      hub.link.close();
    }
  }
}

/**
 * The hooks of a cache test file: a fresh IndexedDB for each test; after it, every later worker
 * life closes and the harness the test started (`harness()`) stops.
 */
export function cacheTestHooks(harness: () => HubHarness | undefined): WorkerLives {
  const lives = new WorkerLives();
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
  });
  afterEach(async () => {
    lives.closeAll();
    await harness()?.stop();
  });
  return lives;
}

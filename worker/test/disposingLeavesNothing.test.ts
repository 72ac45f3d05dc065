import { describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import type { Cancel, Clock } from "../../src/shared";
import type { KeyValueStore } from "../cache/keyValueStore";
import { Hub } from "../hub";
import { FakeTab } from "./fakeTab";

/** A clock whose timers are counted: armed, and neither fired nor cancelled. */
function countingClock(): Clock & { live: () => number } {
  const live = new Set<object>();
  let now = Date.UTC(2026, 11, 6);
  return {
    live: () => live.size,
    now: () => now++,
    setTimeout(): Cancel {
      const timer = {};
      live.add(timer);
      return () => live.delete(timer);
    },
  };
}

/** A socket.io-client socket as far as the link uses it, counting its listeners. */
function fakeSocket() {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const any = new Set<(...args: unknown[]) => void>();
  const socket = {
    connected: false,
    active: true,
    id: "fake",
    closed: false,
    sent: [] as string[],
    on(event: string, listener: (...args: unknown[]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return socket;
    },
    onAny(listener: (...args: unknown[]) => void) {
      any.add(listener);
      return socket;
    },
    offAny() {
      any.clear();
      return socket;
    },
    removeAllListeners() {
      listeners.clear();
      return socket;
    },
    emit(event: string) {
      socket.sent.push(event);
      return socket;
    },
    connect() {
      socket.connected = true;
      for (const listener of listeners.get("connect") ?? []) listener();
      return socket;
    },
    close() {
      socket.closed = true;
      socket.connected = false;
      socket.active = false;
      return socket;
    },
    listenerCount: () => any.size + [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
  return socket;
}

function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    getMany: async (keys) => keys.map((key) => map.get(key)),
    setMany: async (entries) => void entries.forEach(([key, value]) => map.set(key, value)),
    delMany: async (keys) => void keys.forEach((key) => map.delete(key)),
    keys: async () => [...map.keys()],
    clear: async () => map.clear(),
  };
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
const token = (exp: number) =>
  `${encode({ alg: "HS256" })}.${encode({ sub: "1234", iat: 1, exp, permissions: 0, guilds: { "7": 8 } })}.sig`;

describe("Hub.dispose()", () => {
  it("1,000 hubs with tabs, subscriptions and requests on their way leave no timer, listener or socket", async () => {
    let pendingAfter = 0;
    for (let i = 0; i < 1000; i++) {
      const clock = countingClock();
      const sockets: ReturnType<typeof fakeSocket>[] = [];
      const hub = new Hub({
        clock,
        scheduler: clock,
        socketFactory: () => {
          const socket = fakeSocket();
          sockets.push(socket);
          return socket as unknown as Socket;
        },
        workerId: `w${i}`,
        buildId: "test",
        openCacheStore: async () => memoryStore(),
      });
      const cache = { buster: "b", maxAgeMs: 60_000, maxBytes: 1_000_000 };
      const tab = new FakeTab(hub, "http://127.0.0.1:1", cache);
      const other = new FakeTab(hub, "http://127.0.0.1:1", cache);
      sockets[0]?.connect();
      const login = hub.login(tab.id, token(Math.floor(clock.now() / 1000) + 3600));
      tab.subscribe({ kind: "pool", type: "member", guildId: "7", ids: "all" });
      other.subscribe({ kind: "logs", guildId: "7" });
      other.subscribe({ kind: "connection" });
      // Half of them lose a tab first; the others are disposed with every tab still there.
      if (i % 2 === 0) other.close();
      const settled = login.then(
        () => "resolved",
        (error: { code?: unknown }) => error.code,
      );
      expect(clock.live()).toBeGreaterThan(0);
      expect(sockets[0]?.listenerCount()).toBeGreaterThan(0);
      hub.dispose();
      expect(clock.live()).toBe(0);
      expect(sockets.map((s) => [s.closed, s.listenerCount()])).toEqual([[true, 0]]);
      expect(hub.tabCount).toBe(0);
      // Nothing stays pending: the login on its way failed `closed`.
      expect(await settled).toBe("closed");
      pendingAfter += clock.live();
    }
    expect(pendingAfter).toBe(0);
  });
});

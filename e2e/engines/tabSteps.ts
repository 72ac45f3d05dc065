/**
 * What the scenarios do in a client tab, as page functions over `EngineTab.run`: the same
 * steps in every engine. The page records into `window.clientPage` (clientPage.ts) and, for log
 * streams, `window.arrivals` (as e2e/logTabs.ts does).
 */
import type { Diagnostics, PoolSnapshot, SessionState } from "../../src";
import { recordLogsInPage } from "../logTabs";
import type { Gateway } from "../../demo/gateway/createGateway";
import type { EngineTab } from "./engine";
import { until } from "./clientTabs";

type Snap = PoolSnapshot<{ id: string }>;

/** The id of the gateway's demo user `name` (alice, bob, carol, dave). */
export function demoUserId(gateway: Gateway, name: string): string {
  const user = gateway.context.dataset.demoUsers.find((u) => u.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  return user.id;
}

export const login = (tab: EngineTab, token: string) =>
  tab.run((t) => window.clientPage.gateway.login(t).then((s) => s.status), token);

export const spectate = (tab: EngineTab, guild: string) =>
  tab.run((g) => window.clientPage.gateway.spectate(g).then((s) => s.guildId), guild);

export const trackSession = (tab: EngineTab) =>
  tab.run(() => window.clientPage.track("session", window.clientPage.gateway.session$));

/** The tab's last session$ value. */
export const sessionOf = (tab: EngineTab) =>
  tab.run(() => window.clientPage.last<SessionState>("session") ?? null);

/** Waits until the tab's session$ says `userId` is authenticated. */
export const authenticatedAs = (tab: EngineTab, userId: string, timeout = 10_000) =>
  until(
    tab,
    (u) => {
      const s = window.clientPage.last<SessionState>("session");
      return s?.status === "authenticated" && s.userId === u;
    },
    userId,
    { timeout, what: `session$ authenticated as ${userId}` },
  );

/** Tracks `pool`'s all$() of `guild` as `name`. */
export const trackPool = (tab: EngineTab, name: string, pool: string, guild: string) =>
  tab.run(
    ({ name, pool, guild }) =>
      window.clientPage.track(
        name,
        window.clientPage.gateway.pool(pool as "channel", { guildId: guild }).all$(),
      ),
    { name, pool, guild },
  );

/** Waits until the tracked pool `name` is ready from `source` (any source without); returns its entity ids, sorted. */
export async function poolReady(
  tab: EngineTab,
  name: string,
  options: { source?: "network" | "cache"; timeout?: number } = {},
): Promise<string[]> {
  const ids = await until(
    tab,
    ({ name, source }) => {
      const s = window.clientPage.last<Snap>(name);
      if (s?.status !== "ready" || (source !== null && s.source !== source)) return null;
      return s.entities.map((e) => e.id).sort();
    },
    { name, source: options.source ?? null },
    { timeout: options.timeout ?? 10_000, what: `pool ${name} ready` },
  );
  return ids!;
}

/** Every snapshot the tracked pool `name` emitted: status, source, stale, entity count. */
export const poolHistory = (tab: EngineTab, name: string) =>
  tab.run(
    (n) =>
      (window.clientPage.seen[n] as Snap[]).map((s) => ({
        status: s.status,
        source: s.source,
        stale: s.stale,
        count: s.entities.length,
      })),
    name,
  );

/** Starts recording `guild`'s log stream in `window.arrivals` (seq, arrival, the entry's timestamp). */
export const recordLogs = (tab: EngineTab, guild: string) => tab.run(recordLogsInPage, guild);

/**
 * Waits until the tab has every seq from `from` to `to`, then counts in the page what was lost
 * and duplicated, and returns the arrival time of each seq of `firstOf` (the first entry after
 * each fault) and the gaps the stream reported.
 */
export async function logDelivery(
  tab: EngineTab,
  from: number,
  to: number,
  options: { firstOf?: number[]; timeout?: number } = {},
): Promise<{ lost: number; duplicated: number; arrivals: (number | null)[]; gaps: number }> {
  await until(
    tab,
    ([from, to]) =>
      new Set(window.arrivals!.map(([s]) => s).filter((s) => s >= from && s <= to)).size >= to - from + 1,
    [from, to] as const,
    { timeout: options.timeout ?? 30_000, what: `every seq ${from}..${to}` },
  );
  return tab.run(
    ({ from, to, firstOf }) => {
      const seen = new Set<number>();
      const at = new Map<number, number>();
      let duplicated = 0;
      for (const [s, when] of window.arrivals!) {
        if (!at.has(s)) at.set(s, when);
        if (s < from || s > to) continue;
        if (seen.has(s)) duplicated++;
        seen.add(s);
      }
      return {
        lost: to - from + 1 - seen.size,
        duplicated,
        arrivals: firstOf.map((s) => at.get(s) ?? null),
        gaps: window.gaps!.length,
      };
    },
    { from, to, firstOf: options.firstOf ?? [] },
  );
}

/** The worker's diagnostics, as the tab's diagnostics$ gives them now. */
export const diagnosticsOf = (tab: EngineTab) =>
  tab.run(
    () =>
      new Promise<Diagnostics>((resolve, reject) => {
        const s = window.clientPage.gateway.diagnostics$.subscribe({
          next: (d) => {
            resolve(d);
            queueMicrotask(() => s.unsubscribe());
          },
          error: reject,
        });
      }),
  );

/** `!ping` through the worker: its answer's actions. */
export const ping = (tab: EngineTab, messageId = "2") =>
  tab.run(
    (id) =>
      window.clientPage.gateway
        .interpret({ guild_id: "7", message_id: id, content: "!ping" })
        .then((r) => r.actions.length),
    messageId,
  );

import type { Browser, BrowserContext, Page } from "@playwright/test";
import type { Gateway } from "../demo/gateway/createGateway";
import type { LogBatch, LogGap } from "../src";
import { expect } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";

/** What a tab recorded of the log stream: seq, arrival (ms since epoch), the entry's own timestamp. */
export type Arrival = [seq: number, at: number, emittedAt: number];

declare global {
  interface Window {
    arrivals?: Arrival[];
    gaps?: LogGap[];
  }
}

/**
 * Runs in the page (self-contained: its source is sent there): records `guild`'s log stream in
 * `window.arrivals` (seq, arrival, the entry's timestamp) and its gaps in `window.gaps`.
 */
export function recordLogsInPage(guild: string): void {
  window.arrivals = [];
  window.gaps = [];
  window.clientPage.gateway.logs$(guild).subscribe((batch: LogBatch) => {
    const now = Date.now();
    if (batch.gap) window.gaps!.push(batch.gap);
    for (const e of batch) window.arrivals!.push([e.seq, now, e.action.timestamp]);
  });
}

/**
 * `n` tabs of one profile, dave (who may see private entries, so every seq reaches him) logged
 * in (in every tab, or the first `loggedIn`), Architus Hub spectated with logs, each tab
 * recording the log stream.
 */
export async function openLogTabs(
  browser: Browser,
  appUrl: string,
  gateway: Gateway,
  n: number,
  options: {
    firstDelayMs?: number;
    backlogOf?: (tab: number) => number | undefined;
    mode?: string;
    /** How many of the first tabs log in (default: all; the session reaches the others). */
    loggedIn?: number;
  } = {},
): Promise<{ context: BrowserContext; tabs: Page[]; guild: string }> {
  const context = await browser.newContext();
  const tabs: Page[] = [];
  for (let i = 0; i < n; i++) {
    const backlog = options.backlogOf?.(i);
    tabs.push(
      await openTab(context, appUrl, gateway, {
        ...(options.firstDelayMs !== undefined ? { firstDelayMs: options.firstDelayMs } : {}),
        ...(backlog !== undefined ? { backlog } : {}),
        ...(options.mode !== undefined ? { mode: options.mode } : {}),
      }),
    );
  }
  const guild = guildId(gateway, "Architus Hub");
  const token = await tokenFor(gateway, "dave");
  await Promise.all(
    tabs
      .slice(0, options.loggedIn ?? n)
      .map((tab) => tab.evaluate((t) => window.clientPage.gateway.login(t), token)),
  );
  await tabs[0]!.evaluate((g) => window.clientPage.gateway.spectate(g), guild);
  for (const tab of tabs) await tab.evaluate(recordLogsInPage, guild);
  await expect.poll(() => gateway.stats().rooms[`guild:${guild}:logs`]).toBe(1);
  return { context, tabs, guild };
}

/** Waits until a tab has `count` distinct seqs, then returns what it recorded. */
export async function arrivalsOf(tab: Page, count: number): Promise<Arrival[]> {
  await tab.waitForFunction((n) => new Set(window.arrivals!.map(([s]) => s)).size >= n, count, {
    timeout: 30_000,
  });
  return tab.evaluate(() => window.arrivals!);
}

/**
 * Waits until a tab has every seq from `from` to `to`, then counts lost and duplicated entries
 * in the page (a long run's arrivals are too many to bring over to the test).
 */
export async function deliveryIn(
  tab: Page,
  from: number,
  to: number,
): Promise<{ lost: number; duplicated: number }> {
  await tab.waitForFunction(
    ([from, to]) =>
      new Set(window.arrivals!.map(([s]) => s).filter((s) => s >= from && s <= to)).size >= to - from + 1,
    [from, to] as const,
    { timeout: 60_000, polling: 1000 },
  );
  return tab.evaluate(
    ([from, to]) => {
      const seen = new Set<number>();
      let duplicated = 0;
      for (const [s] of window.arrivals!)
        if (s >= from && s <= to) {
          if (seen.has(s)) duplicated++;
          seen.add(s);
        }
      return { lost: to - from + 1 - seen.size, duplicated };
    },
    [from, to] as const,
  );
}

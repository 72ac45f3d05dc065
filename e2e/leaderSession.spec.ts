/**
 * Leader mode at parity with shared mode (issue 20): the session survives the departure of any
 * tab, the one that logged in included, without a token refresher. Every tab holds the session's
 * token in memory (never storage) and logs the next leader's worker in.
 */
import type { Page } from "@playwright/test";
import type { Diagnostics, PoolSnapshot, SessionState } from "../src";
import { delivery } from "../bench/stats";
import { recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { openTab, tokenFor } from "./helpers";
import { arrivalsOf, openLogTabs } from "./logTabs";
import { dumpStorage } from "./storage";

const leaderOf = (tab: Page) =>
  tab.evaluate(() => window.clientPage.last<Diagnostics>("diagnostics")?.leaderTabId ?? null);

/** Each tab records its diagnostics and session; returns the tabs' ids. */
async function watchTabs(tabs: Page[]): Promise<string[]> {
  for (const tab of tabs)
    await tab.evaluate(() => {
      const { gateway: gw, track } = window.clientPage;
      track("diagnostics", gw.diagnostics$);
      track("session", gw.session$);
    });
  return Promise.all(
    tabs.map((tab) => tab.evaluate(() => window.clientPage.gateway.ready.then((r) => r.tabId))),
  );
}

/** Waits until `tab`'s worker is led by another tab than `previous`, connected and elevated. */
async function nextLeader(tab: Page, previous: string | null): Promise<void> {
  await tab.waitForFunction(
    (old) => {
      const d = window.clientPage.last<Diagnostics>("diagnostics");
      const s = window.clientPage.last<SessionState>("session");
      return (
        d !== undefined &&
        d.leaderTabId !== old &&
        d.connection.status === "connected" &&
        s?.status === "authenticated"
      );
    },
    previous,
    { timeout: 10_000, polling: 20 },
  );
}

test("the tab that logged in leads and goes, then the next leader crashes, then another goes: every tab keeps the session, every seq once", async ({
  browser,
  gateway,
  app,
}) => {
  test.setTimeout(90_000);
  // Only the first tab logs in, with no refresher: it leads (opened first).
  const { context, tabs, guild } = await openLogTabs(browser, app.url, gateway, 5, {
    mode: "leader",
    loggedIn: 1,
  });
  const ids = await watchTabs(tabs);
  await expect.poll(() => leaderOf(tabs[4]!)).toBe(ids[0]);
  const topic = `${guild}_logs`;
  const from = gateway.context.events.latest(topic) + 1;
  const times: number[] = [];
  let published = 0;
  const handover = async (leaving: number, how: "close" | "crash") => {
    published += await gateway.activity.publish(guild, "message", 50);
    // Every tab has seen entries of the guild: each knows what to spectate again.
    for (const tab of tabs.slice(leaving + 1)) await arrivalsOf(tab, published);
    const at = Date.now();
    if (how === "close") await tabs[leaving]!.close();
    else {
      const cdp = await context.newCDPSession(tabs[leaving]!);
      void cdp.send("Page.crash").catch(() => {});
    }
    await nextLeader(tabs[4]!, ids[leaving]!);
    await expect.poll(() => gateway.stats().rooms[`guild:${guild}:logs`], { intervals: [20] }).toBe(1);
    times.push(Date.now() - at);
    published += await gateway.activity.publish(guild, "message", 50);
  };
  await handover(0, "close");
  await handover(1, "crash");
  await handover(2, "close");
  const to = gateway.context.events.latest(topic);
  expect(gateway.stats().sockets).toBe(1);
  expect(gateway.stats().elevated).toBe(1);

  for (const tab of tabs.slice(3)) {
    expect(await tab.evaluate(() => window.clientPage.last<SessionState>("session"))).toMatchObject({
      status: "authenticated",
      userId: gateway.context.dataset.demoUsers.find((u) => u.name === "dave")!.id,
    });
    const seqs = (await arrivalsOf(tab, to - from + 1))
      .map(([seq]) => seq)
      .filter((s) => s >= from && s <= to);
    expect(delivery(seqs, from, to)).toEqual({ lost: 0, duplicated: 0 });
    expect(await tab.evaluate(() => window.gaps ?? [])).toEqual([]);
    // A pool asked for only now loads: the new leader's worker is elevated.
    await tab.evaluate(
      (g) => window.clientPage.track("roles", window.clientPage.gateway.pool("role", { guildId: g }).all$()),
      guild,
    );
    await tab.waitForFunction(
      () => window.clientPage.last<PoolSnapshot<unknown>>("roles")?.status === "ready",
    );
    expect(await tab.evaluate(() => Object.keys(window.clientPage.errors))).toEqual([]);
  }
  // Held in memory only: not in localStorage, sessionStorage or IndexedDB.
  const token = await tokenFor(gateway, "dave");
  expect(await dumpStorage(tabs[3]!)).not.toContain(token.split(".")[2]);
  recordFigure("leader-session", {
    fault:
      "the tab that logged in (no refresher) leads and closes; the next leader crashes; the next closes (5 tabs)",
    figure: `the remaining tabs authenticated again after each handover, without a login or refresher of their own; 0 lost, 0 duplicated of ${to - from + 1} entries; handover to an elevated leader spectating with logs ${times.join(", ")} ms`,
    target: "the session survives any tab; every seq exactly once",
    met: true,
  });
  await context.close();
});

test("a logout in a follower clears the token in every tab: the next leader starts anonymous", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs: Page[] = [];
  for (let i = 0; i < 3; i++) tabs.push(await openTab(context, app.url, gateway, { mode: "leader" }));
  const ids = await watchTabs(tabs);
  // A follower logs in (it stays), another logs out, then the leader goes.
  await tabs[1]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "dave"));
  await tabs[2]!.evaluate(() => window.clientPage.gateway.logout());
  for (const tab of tabs)
    await tab.waitForFunction(() => window.clientPage.last<SessionState>("session")?.status === "anonymous");
  await tabs[0]!.close();
  await tabs[2]!.waitForFunction((old) => {
    const d = window.clientPage.last<Diagnostics>("diagnostics");
    return d !== undefined && d.leaderTabId !== old && d.connection.status === "connected";
  }, ids[0]!);
  // Nobody logs the new worker in, not even the tab that logged in: the logout in another tab
  // cleared the token everywhere.
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  expect(gateway.stats().elevated).toBe(0);
  for (const tab of tabs.slice(1))
    expect(await tab.evaluate(() => window.clientPage.last<SessionState>("session")?.status)).toBe(
      "anonymous",
    );
  await context.close();
});

import type { Diagnostics } from "../src";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { guildId, openTabs, tokenFor } from "./helpers";

test("a tab killed abruptly (no pagehide): its subscriptions leave the worker within 2 s", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const [watcher, victim] = await openTabs(context, app.url, gateway, 2);
  const hub = guildId(gateway, "Architus Hub");
  await watcher!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "dave"));
  await watcher!.evaluate((g) => window.clientPage.gateway.spectate(g), hub);
  await watcher!.evaluate(() => window.clientPage.track("diag", window.clientPage.gateway.diagnostics$));
  await victim!.evaluate((g) => {
    const gw = window.clientPage.gateway;
    window.clientPage.track("logs", gw.logs$(g));
    window.clientPage.track("roles", gw.pool("role", { guildId: g }).all$());
    window.clientPage.track("chan", gw.pool("channel", { guildId: g }).all$());
  }, hub);
  await watcher!.waitForFunction(() => {
    const d = window.clientPage.last<Diagnostics>("diag");
    return d?.tabs === 2 && d.subscriptions.logs === 1 && d.subscriptions.pool === 2;
  });
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`]).toBe(1);

  // Crash the renderer: no pagehide, no unload, no bye().
  const cdp = await context.newCDPSession(victim!);
  const crash = new Promise((resolve) => victim!.once("crash", resolve));
  const crashed = Date.now();
  // The answer to Page.crash never comes (the page is gone): do not wait for it.
  void cdp.send("Page.crash").catch(() => {});
  await crash;
  await watcher!.waitForFunction(() => {
    const d = window.clientPage.last<Diagnostics>("diag");
    return d?.tabs === 1 && !d.subscriptions.logs && !d.subscriptions.pool;
  });
  const elapsed = Date.now() - crashed;
  test.info().annotations.push({ type: "released after", description: `${elapsed} ms` });
  console.log(`crashed tab released after ${elapsed} ms`);
  expect(elapsed).toBeLessThan(2_000);
  // The logs nobody wants any more are no longer sent to the socket.
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`]).toBeUndefined();
  expect(gateway.stats().sockets).toBe(1);
  await context.close();
});

const TABS = FULL ? 20 : 10;
const GONE = FULL ? 10 : 6;

test(`${TABS} tabs, ${GONE / 2} crashed and ${GONE / 2} closed at once: the worker keeps the others and only their subscriptions; the socket stays`, async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, TABS);
  const small = guildId(gateway, "Small Talk");
  // Every tab of an app logs in at start-up, at once (the logins coalesce).
  const token = await tokenFor(gateway, "alice");
  await Promise.all(tabs.map((tab) => tab.evaluate((t) => window.clientPage.gateway.login(t), token)));
  for (const tab of tabs)
    await tab.evaluate(
      (g) => window.clientPage.track("roles", window.clientPage.gateway.pool("role", { guildId: g }).all$()),
      small,
    );
  const watcher = tabs[TABS - 1]!;
  await watcher.evaluate(() => window.clientPage.track("diag", window.clientPage.gateway.diagnostics$));
  await watcher.waitForFunction((n) => {
    const d = window.clientPage.last<Diagnostics>("diag");
    return d?.tabs === n && d.subscriptions.pool === n;
  }, TABS);

  for (const tab of tabs)
    await tab.waitForFunction(() => window.clientPage.last<{ status: string }>("roles")?.status === "ready");
  const gone = Date.now();
  const crashes = tabs.slice(0, GONE / 2).map(async (tab) => {
    const cdp = await context.newCDPSession(tab);
    const crash = new Promise((resolve) => tab.once("crash", resolve));
    void cdp.send("Page.crash").catch(() => {});
    await crash;
  });
  await Promise.all([...crashes, ...tabs.slice(GONE / 2, GONE).map((tab) => tab.close())]);
  await watcher.waitForFunction(
    (n) => {
      const d = window.clientPage.last<Diagnostics>("diag");
      return d?.tabs === n && d.subscriptions.pool === n;
    },
    TABS - GONE,
    { timeout: 5_000 },
  );
  const released = Date.now() - gone;
  recordFigure("tabs-vanish", {
    fault: `tabs vanish (${TABS} tabs, ${GONE / 2} crashed and ${GONE / 2} closed at once)`,
    figure: `diagnostics show the ${TABS - GONE} left and only their subscriptions after ${released} ms; 1 socket`,
    target: "within 2 s; the socket stays",
    met: released <= 2000 && gateway.stats().sockets === 1,
  });
  expect(gateway.stats().sockets).toBe(1);
  for (const tab of tabs.slice(GONE))
    expect(await tab.evaluate(() => window.clientPage.last<{ status: string }>("roles")?.status)).toBe(
      "ready",
    );
  await context.close();
});

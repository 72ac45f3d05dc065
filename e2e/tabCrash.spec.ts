import type { Diagnostics } from "../src";
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

test("10 tabs, 3 crashed and 3 closed at once: the worker keeps the other 4 and only their subscriptions; the socket stays", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 10);
  const small = guildId(gateway, "Small Talk");
  // Every tab of an app logs in at start-up, at once (the logins coalesce).
  const token = await tokenFor(gateway, "alice");
  await Promise.all(tabs.map((tab) => tab.evaluate((t) => window.clientPage.gateway.login(t), token)));
  for (const tab of tabs)
    await tab.evaluate(
      (g) => window.clientPage.track("roles", window.clientPage.gateway.pool("role", { guildId: g }).all$()),
      small,
    );
  const watcher = tabs[9]!;
  await watcher.evaluate(() => window.clientPage.track("diag", window.clientPage.gateway.diagnostics$));
  await watcher.waitForFunction(() => {
    const d = window.clientPage.last<Diagnostics>("diag");
    return d?.tabs === 10 && d.subscriptions.pool === 10;
  });

  for (const tab of tabs)
    await tab.waitForFunction(() => window.clientPage.last<{ status: string }>("roles")?.status === "ready");
  const gone = Date.now();
  const crashes = tabs.slice(0, 3).map(async (tab) => {
    const cdp = await context.newCDPSession(tab);
    const crash = new Promise((resolve) => tab.once("crash", resolve));
    void cdp.send("Page.crash").catch(() => {});
    await crash;
  });
  await Promise.all([...crashes, ...tabs.slice(3, 6).map((tab) => tab.close())]);
  await watcher.waitForFunction(
    () => {
      const d = window.clientPage.last<Diagnostics>("diag");
      return d?.tabs === 4 && d.subscriptions.pool === 4;
    },
    undefined,
    { timeout: 5_000 },
  );
  console.log(`6 tabs gone at once: released after ${Date.now() - gone} ms`);
  expect(gateway.stats().sockets).toBe(1);
  for (const tab of tabs.slice(6))
    expect(await tab.evaluate(() => window.clientPage.last<{ status: string }>("roles")?.status)).toBe(
      "ready",
    );
  await context.close();
});

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

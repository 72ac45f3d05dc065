import { expect, test } from "./fixtures";
import { openTab, openTabs, projectMode } from "./helpers";

test("5 tabs share 1 socket; closing 4 keeps it working; closing all drops it", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 5);
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  for (const tab of tabs)
    expect(await tab.evaluate(() => window.clientPage.gateway.ready.then((r) => r.mode))).toBe(
      projectMode() ?? "shared",
    );
  const workerIds = await Promise.all(
    tabs.map((t) => t.evaluate(() => window.clientPage.gateway.ready.then((r) => r.workerId))),
  );
  expect(new Set(workerIds).size).toBe(1);

  for (const tab of tabs.slice(0, 4)) await tab.close();
  const last = tabs[4]!;
  const r = await last.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "7", message_id: "100", content: "!ping" }),
  );
  expect(r.actions).toEqual([{ action: 3001, message_id: "101", content: "pong" }]);
  expect(gateway.stats().sockets).toBe(1);

  await last.close();
  await expect.poll(() => gateway.stats().sockets, { timeout: 5_000 }).toBe(0);
  await context.close();
});

test("interpret works without login", async ({ browser, gateway, app }) => {
  const context = await browser.newContext();
  const tab = await openTab(context, app.url, gateway);
  const r = await tab.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "7", message_id: "2", content: "hello there" }),
  );
  expect(r).toMatchObject({
    guild_id: "7",
    actions: [{ action: 3001, message_id: "3", content: "hi there, you!" }],
  });
  expect(gateway.stats().elevated).toBe(0);
  const bad = await tab.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "7", message_id: "3", content: "odd id" }).then(
      () => "resolved",
      (e: { code: unknown; name: string }) => ({ code: e.code, name: e.name }),
    ),
  );
  expect(bad).toEqual({ code: "bad_input", name: "GatewayError" });
  await context.close();
});

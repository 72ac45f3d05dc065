import type { PoolSnapshot, SessionState } from "../src";
import { expect, test } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";

test('per-tab mode (mode: "per-tab", or shared: false) runs the worker in each tab and everything works', async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const a = await openTab(context, app.url, gateway, { shared: false });
  const b = await openTab(context, app.url, gateway, { mode: "per-tab" });
  for (const tab of [a, b])
    expect(await tab.evaluate(() => window.clientPage.gateway.ready.then((r) => [r.shared, r.mode]))).toEqual(
      [false, "per-tab"],
    );
  await expect.poll(() => gateway.stats().sockets).toBe(2);
  const small = guildId(gateway, "Small Talk");
  await a.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "bob"));
  await a.evaluate((g) => window.clientPage.gateway.spectate(g), small);
  await a.evaluate(
    (g) => window.clientPage.track("roles", window.clientPage.gateway.pool("role", { guildId: g }).all$()),
    small,
  );
  await a.waitForFunction(() => window.clientPage.last<PoolSnapshot<unknown>>("roles")?.status === "ready");
  const roles = await a.evaluate(
    () => window.clientPage.last<PoolSnapshot<{ id: string }>>("roles")!.entities,
  );
  expect(roles).toEqual([...gateway.context.dataset.guilds.get(small)!.pools.role.values()]);
  // Tab b has its own worker: it is not logged in.
  await b.evaluate(() => window.clientPage.track("session", window.clientPage.gateway.session$));
  await b.waitForFunction(() => window.clientPage.last<SessionState>("session")?.status === "anonymous");
  const r = await b.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "3", message_id: "8", content: "!ping" }),
  );
  expect(r.actions[0]).toMatchObject({ content: "pong" });
  await a.close();
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  await context.close();
});

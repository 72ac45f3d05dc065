import { guildId, tokenFor } from "../helpers";
import { clientReady, hello, openClientTabs } from "./clientTabs";
import { expect, modeQuery, test } from "./engineFixture";
import { engineFigure } from "./figures";
import {
  authenticatedAs,
  demoUserId,
  login,
  ping,
  poolReady,
  spectate,
  trackPool,
  trackSession,
} from "./tabSteps";

test("a reloaded tab gets its session and pools back; the others are untouched", async ({
  engine,
  gateway,
  app,
}) => {
  const tabs = await openClientTabs(engine, app.url, gateway, 3, modeQuery());
  const hub = guildId(gateway, "Architus Hub");
  const dave = demoUserId(gateway, "dave");
  await login(tabs[0]!, await tokenFor(gateway, "dave"));
  await spectate(tabs[0]!, hub);
  const roles = [...gateway.context.dataset.guilds.get(hub)!.pools.role.keys()].sort();
  for (const tab of tabs) {
    await trackSession(tab);
    await trackPool(tab, "roles", "role", hub);
    await authenticatedAs(tab, dave);
    expect(await poolReady(tab, "roles")).toEqual(roles);
  }
  const before = await hello(tabs[2]!);
  const loads = gateway.stats().requests.pool_all_request;

  const reloadedAt = Date.now();
  await tabs[2]!.reload();
  await clientReady(tabs[2]!);
  await trackSession(tabs[2]!);
  await trackPool(tabs[2]!, "roles", "role", hub);
  await authenticatedAs(tabs[2]!, dave);
  expect(await poolReady(tabs[2]!, "roles")).toEqual(roles);
  const back = Date.now() - reloadedAt;
  const after = await hello(tabs[2]!);
  // A new page on the same worker: the pool came from the worker, not from another request.
  expect(after.tabId).not.toBe(before.tabId);
  expect(after.workerId).toBe(before.workerId);
  expect(gateway.stats().requests.pool_all_request).toBe(loads);
  expect(gateway.stats().sockets).toBe(1);
  for (const tab of tabs) expect(await ping(tab)).toBeGreaterThan(0);
  for (const tab of tabs.slice(0, 2)) expect(await poolReady(tab, "roles")).toEqual(roles);
  engineFigure(
    "reload",
    `a reloaded tab had its session and pool back in ${back} ms (from the reload command)`,
    {
      backMs: back,
    },
  );
});

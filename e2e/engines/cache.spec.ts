/**
 * The IndexedDB pool cache in every engine: it outlives every tab (and with them the worker),
 * and a logout purges the user's partition.
 */
import type { Gateway } from "../../demo/gateway/createGateway";
import { guildId, tokenFor } from "../helpers";
import { hello, openClientTab } from "./clientTabs";
import type { EngineBrowser, EngineTab } from "./engine";
import { expect, modeQuery, test } from "./engineFixture";
import { engineFigure } from "./figures";
import { holds, storageDump } from "./storageDump";
import { diagnosticsOf, login, poolHistory, poolReady, spectate, trackPool } from "./tabSteps";

/** alice logs in, spectates Small Talk and loads its autoResponse pool (`ar`); resolves once the cache wrote it. */
async function aliceLoads(tab: EngineTab, gateway: Gateway): Promise<{ small: string; ids: string[] }> {
  const small = guildId(gateway, "Small Talk");
  await login(tab, await tokenFor(gateway, "alice"));
  await spectate(tab, small);
  await trackPool(tab, "ar", "autoResponse", small);
  const ids = await poolReady(tab, "ar");
  await expect.poll(async () => (await diagnosticsOf(tab)).cache.writes).toBeGreaterThan(0);
  return { small, ids };
}

/**
 * Opens a tab of a new worker life: the previous worker (`previousWorkerId`) must be gone (every
 * tab of it closed), so this one starts from IndexedDB alone. Returns the tab and how many
 * tabs were opened before the old worker had ended.
 */
async function workerLife(
  browser: EngineBrowser,
  appUrl: string,
  gateway: Gateway,
  previousWorkerId: string,
): Promise<{ tab: EngineTab; early: number }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const tab = await openClientTab(browser, appUrl, gateway, modeQuery());
    if ((await hello(tab)).workerId !== previousWorkerId) return { tab, early: attempt };
    // The browser has not ended the old worker yet: leave it alone a moment longer.
    await tab.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the previous worker never ended");
}

test("every tab closed, then a new tab: cached pool first, then the network's; a logout purges the user's partition", async ({
  engine,
  gateway,
  app,
}) => {
  const first = await openClientTab(engine, app.url, gateway, modeQuery());
  const { small, ids } = await aliceLoads(first, gateway);
  const { workerId } = await hello(first);
  const closedAt = Date.now();
  await first.close();
  await expect.poll(() => gateway.stats().sockets).toBe(0);
  const socketGone = Date.now() - closedAt;
  await gateway.activity.publish(small, "pool_update", 5);

  const { tab, early } = await workerLife(engine, app.url, gateway, workerId);
  await trackPool(tab, "ar", "autoResponse", small);
  await login(tab, await tokenFor(gateway, "alice"));
  await spectate(tab, small);
  const truth = [...gateway.context.dataset.guilds.get(small)!.pools.autoResponse.keys()].sort();
  expect(await poolReady(tab, "ar", { source: "network" })).toEqual(truth);
  const shown = (await poolHistory(tab, "ar")).filter((s) => s.status !== "waiting");
  expect(shown[0]).toMatchObject({ status: "ready", source: "cache", stale: true, count: ids.length });

  // The cache holds alice's entities until she logs out; then no storage of the origin does.
  const before = await storageDump(tab);
  expect(ids.some((id) => holds(before, id))).toBe(true);
  await tab.run(() => window.clientPage.gateway.logout());
  const after = await storageDump(tab);
  expect(truth.filter((id) => holds(after, id))).toEqual([]);
  expect(ids.filter((id) => holds(after, id))).toEqual([]);
  engineFigure(
    "cache",
    `last tab closed: the socket was gone in ${socketGone} ms, the old worker answered ${early} new tab(s) before it ended; the cached pool showed first, then the network's; logout left none of the user's ${ids.length} entities in storage`,
    { socketGoneMs: socketGone, earlyTabs: early },
  );
});

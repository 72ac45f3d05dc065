import { guildId, tokenFor } from "../helpers";
import { openClientTabs } from "./clientTabs";
import { expect, modeQuery, test } from "./engineFixture";
import { engineFigure } from "./figures";
import { logSubscriptions } from "./logTabs";
import { logDelivery, login, poolReady, recordLogs, spectate, trackPool } from "./tabSteps";

const ids = (entities: Iterable<{ id: string }>) => [...entities].map((e) => e.id).sort();

test("pools and logs in every tab: pools equal the gateway's, one request per pool, every log seq exactly once", async ({
  engine,
  gateway,
  app,
}) => {
  const tabs = await openClientTabs(engine, app.url, gateway, 3, modeQuery());
  const hub = guildId(gateway, "Architus Hub");
  await login(tabs[0]!, await tokenFor(gateway, "dave"));
  await spectate(tabs[0]!, hub);
  const pools = gateway.context.dataset.guilds.get(hub)!.pools;
  for (const tab of tabs) {
    await trackPool(tab, "roles", "role", hub);
    await trackPool(tab, "channels", "channel", hub);
    await recordLogs(tab, hub);
  }
  for (const tab of tabs) {
    expect(await poolReady(tab, "roles")).toEqual(ids(pools.role.values()));
    expect(await poolReady(tab, "channels")).toEqual(ids(pools.channel.values()));
  }
  // The worker asked once per pool, not once per tab.
  expect(gateway.stats().requests.pool_all_request).toBe(2);
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`]).toBe(1);
  await logSubscriptions(tabs[0]!, 3);

  const from = gateway.context.events.latest(`${hub}_logs`) + 1;
  const published = Date.now();
  await gateway.activity.publish(hub, "message", 400);
  await gateway.activity.publish(hub, "private_message", 100);
  await gateway.activity.publish(hub, "pool_update", 10);
  const to = gateway.context.events.latest(`${hub}_logs`);
  expect(to - from + 1).toBeGreaterThanOrEqual(500);
  const lastArrivals: number[] = [];
  for (const tab of tabs) {
    const delivery = await logDelivery(tab, from, to, { firstOf: [to] });
    expect({ lost: delivery.lost, duplicated: delivery.duplicated, gaps: delivery.gaps }).toEqual({
      lost: 0,
      duplicated: 0,
      gaps: 0,
    });
    lastArrivals.push(delivery.arrivals[0]! - published);
  }
  // The pushed pool updates reach every tab too.
  for (const tab of tabs) {
    await expect.poll(() => poolReady(tab, "roles")).toEqual(ids(pools.role.values()));
    await expect.poll(() => poolReady(tab, "channels")).toEqual(ids(pools.channel.values()));
  }
  engineFigure(
    "pools-and-logs",
    `${to - from + 1} entries in each of 3 tabs, 0 lost, 0 duplicated; the last arrived ${Math.max(...lastArrivals)} ms after the publishing began`,
    { entries: to - from + 1, lost: 0, duplicated: 0, lastArrivalMs: Math.max(...lastArrivals) },
  );
});

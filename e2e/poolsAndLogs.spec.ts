import type { Diagnostics, LogEntry, PoolSnapshot } from "../src";
import { withStatus } from "../demo/gateway/dataset/guildPresence";
import { expect, test } from "./fixtures";
import { guildId, openTabs, tokenFor } from "./helpers";

test("pools: all$, entities$, search$ equal the gateway's dataset; a pushed update reaches every tab within 1 s", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 3);
  const small = guildId(gateway, "Small Talk");
  const hub = guildId(gateway, "Architus Hub");
  await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "alice"));
  await tabs[0]!.evaluate((g) => window.clientPage.gateway.spectate(g), small);
  const dataset = gateway.context.dataset.guilds.get(small)!.pools;
  const hubRecord = gateway.context.dataset.guilds.get(hub)!;
  // Members as the gateway sends them: with their presence (Extension 2).
  const members = [...hubRecord.pools.member.values()].map((m) => withStatus(m, hubRecord.presence));
  const wanted = [members[7]!.id, members[3]!.id, "42"];
  for (const tab of tabs)
    await tab.evaluate(
      ({ small, hub, wanted, query }) => {
        const gw = window.clientPage.gateway;
        window.clientPage.track("ar", gw.pool("autoResponse", { guildId: small }).all$());
        window.clientPage.track("ch", gw.pool("channel", { guildId: small }).all$());
        window.clientPage.track("some", gw.pool("member", { guildId: hub }).entities$(wanted));
        window.clientPage.track("search", gw.pool("member", { guildId: hub }).search$(query, { limit: 5 }));
      },
      { small, hub, wanted, query: members[7]!.name },
    );
  for (const tab of tabs) {
    await tab.waitForFunction(() =>
      ["ar", "ch", "some"].every((n) => window.clientPage.last<PoolSnapshot<unknown>>(n)?.status === "ready"),
    );
    await tab.waitForFunction(() => window.clientPage.last<{ status: string }>("search")?.status === "ready");
    const ar = await tab.evaluate(() => window.clientPage.last<PoolSnapshot<{ id: string }>>("ar")!.entities);
    expect(ar).toEqual([...dataset.autoResponse.values()]);
    const ch = await tab.evaluate(() => window.clientPage.last<PoolSnapshot<{ id: string }>>("ch")!);
    expect(ch.entities).toEqual([...dataset.channel.values()]);
    expect(ch).toMatchObject({ loaded: dataset.channel.size, total: dataset.channel.size });
    const some = await tab.evaluate(() => window.clientPage.last<PoolSnapshot<{ id: string }>>("some")!);
    expect(some.entities).toEqual([members[7], members[3]]);
    expect(some.nonexistent).toEqual(["42"]);
    const search = await tab.evaluate(
      () => window.clientPage.last<{ entities: { id: string }[] }>("search")!.entities,
    );
    expect(search[0]).toEqual(members[7]);
  }
  // The worker made one request per pool, not one per tab.
  expect(gateway.stats().requests.pool_all_request).toBe(2);
  expect(gateway.stats().requests.pool_request).toBe(1);

  const started = Date.now();
  await gateway.activity.publish(small, "pool_update", 25);
  const expected = JSON.stringify(
    [...dataset.autoResponse.values()].sort((a, b) => a.id.localeCompare(b.id)),
  );
  for (const tab of tabs)
    await tab.waitForFunction(
      (exp) =>
        JSON.stringify(
          [...window.clientPage.last<PoolSnapshot<{ id: string }>>("ar")!.entities].sort((a, b) =>
            a.id.localeCompare(b.id),
          ),
        ) === exp,
      expected,
    );
  // The bound (seen ≈ 20–60 ms here); generous on purpose for a shared machine.
  expect(Date.now() - started).toBeLessThan(1_000);
  await context.close();
});

test("5 tabs asking for the same pool at once: the gateway counts 1 request", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 5);
  const hub = guildId(gateway, "Architus Hub");
  await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "bob"));
  const before = gateway.stats().requests.pool_all_request ?? 0;
  await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(
        (g) =>
          window.clientPage.track("roles", window.clientPage.gateway.pool("role", { guildId: g }).all$()),
        hub,
      ),
    ),
  );
  for (const tab of tabs)
    await tab.waitForFunction(
      () => window.clientPage.last<PoolSnapshot<unknown>>("roles")?.status === "ready",
    );
  expect((gateway.stats().requests.pool_all_request ?? 0) - before).toBe(1);
  await context.close();
});

test("logs: 3 tabs receive identical gap-free sequences; when all unsubscribe the gateway stops sending logs", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 3);
  const hub = guildId(gateway, "Architus Hub");
  await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "dave"));
  await tabs[0]!.evaluate((g) => window.clientPage.gateway.spectate(g), hub);
  for (const tab of tabs)
    await tab.evaluate((g) => window.clientPage.track("logs", window.clientPage.gateway.logs$(g)), hub);
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`]).toBe(1);
  // Every tab's subscription is in the worker before entries flow (a tab's subscribe is on its
  // way after track() returns; in leader mode over a BroadcastChannel, which is slower).
  await tabs[0]!.evaluate(() =>
    window.clientPage.track("diagnostics", window.clientPage.gateway.diagnostics$),
  );
  await tabs[0]!.waitForFunction(
    () => window.clientPage.last<Diagnostics>("diagnostics")?.subscriptions.logs === 3,
  );
  const startSeq = gateway.context.events.latest(`${hub}_logs`);
  await gateway.activity.publish(hub, "message", 400);
  await gateway.activity.publish(hub, "private_message", 100);
  const seqsOf = () => (window.clientPage.seen.logs as LogEntry[][]).flat().map((e) => e.seq);
  for (const tab of tabs)
    await tab.waitForFunction((n) => (window.clientPage.seen.logs as unknown[][]).flat().length >= n, 500);
  const sequences = await Promise.all(tabs.map((tab) => tab.evaluate(seqsOf)));
  const expected = Array.from({ length: 500 }, (_, i) => startSeq + i + 1);
  for (const seqs of sequences) expect(seqs).toEqual(expected);

  for (const tab of tabs) await tab.evaluate(() => window.clientPage.untrack("logs"));
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`]).toBeUndefined();
  expect(gateway.stats().rooms[`guild:${hub}:logs:private`]).toBeUndefined();
  expect(gateway.stats().topics).toEqual([hub]);
  await context.close();
});

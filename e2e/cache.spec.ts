/**
 * The IndexedDB pool cache in real Chromium: one browser context per test, so IndexedDB
 * survives while tabs (and with them the SharedWorker) come and go.
 */
import type { BrowserContext, Page } from "@playwright/test";
import type { Diagnostics, PoolSnapshot, SessionState } from "../src";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";
import { expect, test } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";
import { E2E_SECRET, dumpStorage, workerLife } from "./storage";

type Snap = PoolSnapshot<{ id: string }>;
/** Whether a storage dump holds an id as a JSON string (also inside a JSON string: escaped quotes). */
const holds = (dump: string, id: string) => dump.includes(`"${id}"`) || dump.includes(`\\"${id}\\"`);
const lastSnap = (tab: Page, name: string) =>
  tab.evaluate((n) => window.clientPage.last<Snap>(n) ?? null, name);
const diagnostics = (tab: Page) =>
  tab.evaluate(
    () =>
      new Promise<Diagnostics>((resolve) => {
        const s = window.clientPage.gateway.diagnostics$.subscribe((d) => {
          resolve(d);
          queueMicrotask(() => s.unsubscribe());
        });
      }),
  );

/**
 * alice logs in, spectates Small Talk and tracks its autoResponse pool (`ar`) and, with
 * `withGuilds`, her guild pool (`guilds`); resolves once they are ready.
 */
async function aliceLoads(tab: Page, gateway: Gateway, withGuilds: boolean): Promise<string> {
  const small = guildId(gateway, "Small Talk");
  const names = withGuilds ? ["ar", "guilds"] : ["ar"];
  await tab.evaluate(
    async ({ token, small, withGuilds }) => {
      const gw = window.clientPage.gateway;
      await gw.login(token);
      await gw.spectate(small);
      window.clientPage.track("ar", gw.pool("autoResponse", { guildId: small }).all$());
      if (withGuilds) window.clientPage.track("guilds", gw.pool("guild").all$());
    },
    { token: await tokenFor(gateway, "alice"), small, withGuilds },
  );
  await tab.waitForFunction(
    (names) => names.every((n) => window.clientPage.last<{ status: string }>(n)?.status === "ready"),
    names,
  );
  return small;
}

/** First life: alice loads Small Talk's autoResponse pool (spectated) and her guild pool; then every tab goes. */
async function firstLife(context: BrowserContext, appUrl: string, gateway: Gateway) {
  const tab = await openTab(context, appUrl, gateway);
  const small = await aliceLoads(tab, gateway, true);
  await expect
    .poll(async () => (await diagnostics(tab)).cache.writes, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(2);
  const workerId = (await tab.evaluate(() => window.clientPage.gateway.ready)).workerId;
  const guilds = (await lastSnap(tab, "guilds"))!.entities.map((g) => g.id);
  await tab.close();
  await expect.poll(() => gateway.stats().sockets).toBe(0);
  return { small, workerId, guilds };
}

test("after every tab closed, a new tab shows cached pools before the gateway answers, then catches up by seq", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const { small, workerId } = await firstLife(context, app.url, gateway);
  await gateway.activity.publish(small, "pool_update", 5);
  const loads = gateway.stats().requests.pool_all_request;

  const tab = await workerLife(context, app.url, gateway, workerId);
  await tab.evaluate(
    async ({ token, small }) => {
      const gw = window.clientPage.gateway;
      window.clientPage.track("ar", gw.pool("autoResponse", { guildId: small }).all$());
      window.clientPage.track("session", gw.session$);
      await gw.login(token);
      await gw.spectate(small);
    },
    { token: await tokenFor(gateway, "alice"), small },
  );
  await tab.waitForFunction(() => {
    const s = window.clientPage.last<Snap>("ar");
    return s?.status === "ready" && s.source === "network";
  });
  const seen = await tab.evaluate(() => window.clientPage.seen.ar as Snap[]);
  const shown = seen.filter((s) => s.status !== "waiting");
  expect(shown[0]).toMatchObject({ status: "ready", source: "cache", stale: true });
  expect(shown[0]!.savedAt).toEqual(expect.any(Number));
  const truth = [...gateway.context.dataset.guilds.get(small)!.pools.autoResponse.values()];
  const final = (await lastSnap(tab, "ar"))!;
  expect(final).toMatchObject({ status: "ready", source: "network", stale: false, savedAt: null });
  expect([...final.entities].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
    truth.sort((a, b) => a.id.localeCompare(b.id)),
  );
  // Caught up by the spectate's replay: no reload of the spectated guild's cached pool.
  expect(gateway.stats().requests.pool_all_request).toBe(loads);
  await context.close();
});

test("after every tab closed, a new tab that spectates before it subscribes still catches the cached pool up by seq", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const { small, workerId } = await firstLife(context, app.url, gateway);
  await gateway.activity.publish(small, "pool_update", 5);
  const loads = gateway.stats().requests.pool_all_request;

  const tab = await workerLife(context, app.url, gateway, workerId);
  // login, spectate, and only then the pool (the order of aliceLoads).
  await aliceLoads(tab, gateway, false);
  await tab.waitForFunction(() => window.clientPage.last<Snap>("ar")?.source === "network");
  const truth = [...gateway.context.dataset.guilds.get(small)!.pools.autoResponse.values()];
  const final = (await lastSnap(tab, "ar"))!;
  expect([...final.entities].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
    truth.sort((a, b) => a.id.localeCompare(b.id)),
  );
  // The spectate asked since the cached copy's seq: the pool was not fetched whole again.
  expect(gateway.stats().requests.pool_all_request).toBe(loads);
  expect((await diagnostics(tab)).cache.hits).toBeGreaterThanOrEqual(1);
  await context.close();
});

test("with the gateway down, cached pools render; when it comes back they revalidate", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const { small, workerId } = await firstLife(context, app.url, gateway);
  const port = gateway.port;
  await gateway.stop();

  const tab = await workerLife(context, app.url, gateway, workerId);
  const token = await tokenFor(gateway, "alice");
  await tab.evaluate(
    ({ token, small }) => {
      const gw = window.clientPage.gateway;
      window.clientPage.track("ar", gw.pool("autoResponse", { guildId: small }).all$());
      window.clientPage.track("session", gw.session$);
      void gw.login(token).then(() => gw.spectate(small));
    },
    { token, small },
  );
  await tab.waitForFunction(() => window.clientPage.last<Snap>("ar")?.source === "cache");
  expect(await lastSnap(tab, "ar")).toMatchObject({ status: "ready", stale: true });
  expect((await tab.evaluate(() => window.clientPage.last<SessionState>("session")))?.status).toBe(
    "authenticating",
  );

  const back = await createGateway({ port, secret: E2E_SECRET, bigGuildMembers: 5000, warn: () => {} });
  try {
    await tab.waitForFunction(
      () => {
        const s = window.clientPage.last<Snap>("ar");
        return s?.status === "ready" && s.source === "network";
      },
      undefined,
      {
        timeout: 20_000,
      },
    );
    const truth = [...back.context.dataset.guilds.get(small)!.pools.autoResponse.values()];
    expect((await lastSnap(tab, "ar"))!.entities.length).toBe(truth.length);
  } finally {
    await context.close();
    await back.stop();
  }
});

test("after logout no database of the origin holds the user's entities; the token is in no storage", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tab = await openTab(context, app.url, gateway);
  const token = await tokenFor(gateway, "alice");
  await aliceLoads(tab, gateway, false);
  const ids = (await lastSnap(tab, "ar"))!.entities.map((e) => e.id);
  await expect
    .poll(async () => (await diagnostics(tab)).cache.writes, { timeout: 10_000 })
    .toBeGreaterThan(0);
  const before = await dumpStorage(tab);
  // The check can see entities: they are there before the logout...
  expect(ids.some((id) => holds(before, id))).toBe(true);
  expect(before).not.toContain(token);
  expect(before).not.toContain(token.split(".")[2]!);

  await tab.evaluate(() => window.clientPage.gateway.logout());
  const after = await dumpStorage(tab);
  expect(ids.filter((id) => holds(after, id))).toEqual([]);
  expect(after).not.toContain(token.split(".")[2]!);
  await context.close();
});

test("user B never receives an entity of user A's partition", async ({ browser, gateway, app }) => {
  const context = await browser.newContext();
  const { workerId, guilds: aliceGuilds } = await firstLife(context, app.url, gateway);
  const carol = await tokenFor(gateway, "carol");
  const carolGuilds = Object.keys(
    (JSON.parse(Buffer.from(carol.split(".")[1]!, "base64url").toString()) as { guilds: object }).guilds,
  );
  const aliceOnly = aliceGuilds.filter((id) => !carolGuilds.includes(id));
  expect(aliceOnly.length).toBeGreaterThan(0);

  const tab = await workerLife(context, app.url, gateway, workerId);
  await tab.evaluate(async (token) => {
    const gw = window.clientPage.gateway;
    window.clientPage.track("guilds", gw.pool("guild").all$());
    await gw.login(token);
  }, carol);
  await tab.waitForFunction(() => {
    const s = window.clientPage.last<Snap>("guilds");
    return s?.status === "ready" && s.source === "network";
  });
  const seen = await tab.evaluate(() => window.clientPage.seen.guilds as Snap[]);
  const leaked = seen.flatMap((s) => s.entities.map((e) => e.id)).filter((id) => aliceOnly.includes(id));
  expect(leaked).toEqual([]);
  expect((await lastSnap(tab, "guilds"))!.entities.map((g) => g.id).sort()).toEqual([...carolGuilds].sort());
  await context.close();
});

test("garbage in every stored record: the next session loads from the gateway, counts them, no tab errors", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const { workerId } = await firstLife(context, app.url, gateway);
  const tab = await workerLife(context, app.url, gateway, workerId);
  const spoiled = await tab.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open("archit-gateway-cache");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const store = db.transaction("pools", "readwrite").objectStore("pools");
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const r = store.getAllKeys();
      r.onsuccess = () => resolve(r.result);
    });
    const garbage = [null, "garbage", 42, { format: 1, data: "[{" }, { truncated: true }, []];
    keys.forEach((key, i) => store.put(garbage[i % garbage.length], key));
    await new Promise((resolve) => (store.transaction.oncomplete = resolve));
    db.close();
    return keys.filter((k) => String(k).startsWith("d|")).length;
  });
  expect(spoiled).toBeGreaterThanOrEqual(2);
  const errors: string[] = [];
  tab.on("pageerror", (e) => errors.push(e.message));
  // The worker that read the garbage is the one this tab started: a new life, fresh index.
  await aliceLoads(tab, gateway, true);
  for (const name of ["ar", "guilds"]) expect(await lastSnap(tab, name)).toMatchObject({ source: "network" });
  expect((await diagnostics(tab)).cache.discarded).toBeGreaterThanOrEqual(spoiled);
  expect(await tab.evaluate(() => window.clientPage.errors)).toEqual({});
  expect(errors).toEqual([]);
  await context.close();
});

test("with the storage quota forced to (next to) 0 everything works; diagnostics say the cache is not ready and why", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  // The override lasts while this CDP session does: the page stays open. Chromium 156 takes a
  // quotaSize of 0 as "reset to the default"; 1 byte is the smallest quota it enforces.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin: new URL(app.url).origin, quotaSize: 1 });
  const tab = await openTab(context, app.url, gateway);
  await aliceLoads(tab, gateway, false);
  await expect.poll(async () => (await diagnostics(tab)).cache.status, { timeout: 10_000 }).not.toBe("ready");
  const cache = (await diagnostics(tab)).cache;
  expect(cache.reason).toMatch(/quota|IndexedDB/i);
  const r = await tab.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "7", message_id: "2", content: "!ping" }),
  );
  expect(r.actions.length).toBeGreaterThan(0);
  await context.close();
});

/** The SharedWorker is killed (as the browser or devtools may do): tabs notice, start another, carry on. */
import type { Browser } from "@playwright/test";
import { delivery } from "../bench/stats";
import type { ConnectionState, LogBatch, LogEntry, PoolSnapshot, SessionState } from "../src";
import { recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { guildId, openClientPage, openTabs, tokenFor } from "./helpers";

type Snap = PoolSnapshot<{ id: string }>;

/** Closes every shared worker through CDP (Playwright lists none); returns how many. */
async function killSharedWorkers(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send("Target.getTargets");
  const workers = targetInfos.filter((t) => t.type === "shared_worker");
  for (const w of workers) await cdp.send("Target.closeTarget", { targetId: w.targetId });
  await cdp.detach();
  return workers.length;
}

test("the worker is killed: tabs notice within 2 s, start a new one, and their session, pools and calls carry on", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 2);
  const small = guildId(gateway, "Small Talk");
  const token = await tokenFor(gateway, "alice");
  for (const tab of tabs)
    await tab.evaluate(
      async ({ token, small }) => {
        const gw = window.clientPage.gateway;
        window.clientPage.track("connection", gw.connection$);
        window.clientPage.track("session", gw.session$);
        window.clientPage.track("ar", gw.pool("autoResponse", { guildId: small }).all$());
        window.clientPage.track("logs", gw.logs$(small));
        await gw.login(token);
        await gw.spectate(small);
      },
      { token, small },
    );
  for (const tab of tabs)
    await tab.waitForFunction(() => window.clientPage.last<Snap>("ar")?.status === "ready");
  const before = (await tabs[0]!.evaluate(() => window.clientPage.gateway.ready)).workerId;
  const topic = `${small}_logs`;
  const from = gateway.context.events.latest(topic) + 1;
  await gateway.activity.publish(small, "message", 10);
  const seqsOf = (tab: (typeof tabs)[number]) =>
    tab.evaluate(() => (window.clientPage.seen.logs as LogEntry[][]).flat().map((e) => e.seq));
  for (const tab of tabs) await expect.poll(async () => (await seqsOf(tab)).length).toBe(10);

  // A call on its way when the worker dies must settle (answered, or rejected "disconnected").
  const pending = tabs[0]!.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "7", message_id: "2", content: "!ping" }).then(
      () => "answered",
      (e: { code?: unknown }) => String(e.code),
    ),
  );
  const killedAt = Date.now();
  expect(await killSharedWorkers(browser)).toBe(1);
  // Published while no worker runs: the next one replays them (each logs$ resumes after its last seq).
  await gateway.activity.publish(small, "message", 10);
  expect(["answered", "disconnected"]).toContain(await pending);

  for (const tab of tabs)
    await tab.waitForFunction(
      () =>
        (window.clientPage.seen.connection as ConnectionState[]).some(
          (c) => c.lastError === "the worker ended",
        ),
      undefined,
      { timeout: 2_000 },
    );
  const noticedMs = Date.now() - killedAt;
  recordFigure("worker-death", {
    fault: "the worker dies (SharedWorker closed through CDP, 2 tabs)",
    figure: `tabs noticed after ${noticedMs} ms; a new worker, 1 socket, session, guild and pools back; a call in flight settled; no observable errored; the log stream resumed after each tab's last seq, 0 lost, 0 duplicated`,
    target: "noticed within 2 s; everything resumes, no log entry lost",
    met: noticedMs <= 2000,
  });

  // A new worker, one socket again, the session back, the pool ready again, calls answered.
  await expect.poll(() => gateway.stats().sockets, { timeout: 10_000 }).toBe(1);
  for (const tab of tabs) {
    await tab.waitForFunction(
      () => window.clientPage.last<ConnectionState>("connection")?.status === "connected",
    );
    await tab.waitForFunction(
      () => window.clientPage.last<SessionState>("session")?.status === "authenticated",
    );
    await tab.waitForFunction(() => window.clientPage.last<Snap>("ar")?.status === "ready");
    const r = await tab.evaluate(() =>
      window.clientPage.gateway.interpret({ guild_id: "7", message_id: "4", content: "!ping" }),
    );
    expect(r.actions.length).toBeGreaterThan(0);
    // No observable errored or completed.
    expect(await tab.evaluate(() => window.clientPage.errors)).toEqual({});
  }
  const after = await tabs[0]!.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const s = window.clientPage.gateway.diagnostics$.subscribe((d) => {
          resolve(d.workerId);
          queueMicrotask(() => s.unsubscribe());
        });
      }),
  );
  expect(after).not.toBe(before);
  // The spectated guild is back, and live updates reach the tabs again.
  await expect.poll(() => gateway.stats().rooms[`guild:${small}`], { timeout: 10_000 }).toBe(1);
  await gateway.activity.publish(small, "pool_update", 5);
  await gateway.activity.publish(small, "message", 5);
  const to = gateway.context.events.latest(topic);
  for (const tab of tabs) {
    await expect.poll(async () => (await seqsOf(tab)).length).toBe(to - from + 1);
    expect(delivery(await seqsOf(tab), from, to)).toEqual({ lost: 0, duplicated: 0 });
    // Nothing was missed, so nothing is said to be.
    expect(
      await tab.evaluate(() => (window.clientPage.seen.logs as LogBatch[]).filter((b) => b.gap).length),
    ).toBe(0);
  }
  const truth = JSON.stringify(
    [...gateway.context.dataset.guilds.get(small)!.pools.autoResponse.values()].map((e) => e.id).sort(),
  );
  for (const tab of tabs)
    await tab.waitForFunction(
      (truth) =>
        JSON.stringify(
          window.clientPage
            .last<Snap>("ar")!
            .entities.map((e) => e.id)
            .sort(),
        ) === truth,
      truth,
    );
  await context.close();
});

test("no new worker can start (its script is gone): every live observable errors unsupported, calls reject", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tab = await openClientPage(context, app.url, gateway, "&brokenRestart=1");
  await tab.evaluate(() => window.clientPage.gateway.ready);
  const small = guildId(gateway, "Small Talk");
  await tab.evaluate(
    async ({ token, small }) => {
      const gw = window.clientPage.gateway;
      window.clientPage.track("connection", gw.connection$);
      window.clientPage.track("ar", gw.pool("autoResponse", { guildId: small }).all$());
      window.clientPage.track("logs", gw.logs$(small));
      await gw.login(token);
    },
    { token: await tokenFor(gateway, "alice"), small },
  );
  await tab.waitForFunction(() => window.clientPage.last<Snap>("ar")?.status === "ready");
  expect(await killSharedWorkers(browser)).toBe(1);
  await tab.waitForFunction(() => Object.keys(window.clientPage.errors).length === 3, undefined, {
    timeout: 15_000,
  });
  const errors = await tab.evaluate(() => window.clientPage.errors);
  for (const name of ["connection", "ar", "logs"])
    expect(errors[name], name).toMatchObject({ code: "unsupported" });
  expect(
    await tab.evaluate(
      (g) =>
        window.clientPage.gateway.spectate(g).then(
          () => "resolved",
          (e: { code?: unknown }) => String(e.code),
        ),
      small,
    ),
  ).toBe("unsupported");
  await context.close();
});

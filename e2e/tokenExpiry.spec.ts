/**
 * Token expiry in Chromium (issue 8, item 6). With a tab's refresher (a function in the page,
 * called by the worker across the boundary), short-lived tokens are replaced before they
 * expire and no request fails. Without one, every tab sees `expired`, calls fail, and one new
 * `login()` brings every subscription back, the log stream included (missed entries replayed).
 */
import type { LogEntry, SessionState } from "../src";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { guildId, openTabs, tokenFor } from "./helpers";

const SECONDS = FULL ? 30 : 15;
const TOKEN_LIFE_S = 5;

test(`${TOKEN_LIFE_S}-second tokens refreshed by a tab across ${SECONDS} s of requests from another tab: 0 failed`, async ({
  browser,
  gateway,
  app,
}) => {
  test.setTimeout((SECONDS + 60) * 1000);
  const context = await browser.newContext();
  const [refreshing, asking] = await openTabs(context, app.url, gateway, 2);
  const alice = gateway.context.dataset.demoUsers.find((u) => u.name === "alice")!;
  await refreshing!.evaluate(
    async ({ url, userId, life }) => {
      const { gateway: gw, track } = window.clientPage;
      track("session", gw.session$);
      // The app's refresher: a fresh token from its backend (here the gateway's dev endpoint).
      await gw.setTokenRefresher(async () => {
        const res = await fetch(`${url}/dev/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ user_id: userId, ttl_s: life }),
        });
        return ((await res.json()) as { token: string }).token;
      });
    },
    { url: gateway.url, userId: alice.id, life: TOKEN_LIFE_S },
  );
  await refreshing!.evaluate(
    (t) => window.clientPage.gateway.login(t),
    await tokenFor(gateway, "alice", TOKEN_LIFE_S),
  );
  const guilds = [guildId(gateway, "Small Talk"), guildId(gateway, "Tiny Test")];
  // Authenticated requests one after the other from the other tab (spectate needs the session).
  const outcome = await asking!.evaluate(
    async ({ guilds, ms }) => {
      const gw = window.clientPage.gateway;
      const failed: string[] = [];
      let done = 0;
      const end = Date.now() + ms;
      while (Date.now() < end) {
        await gw.spectate(guilds[done % 2]!, { includeLogs: false }).then(
          () => done++,
          (e: { code?: unknown; message?: string }) => failed.push(`${String(e.code)}: ${e.message}`),
        );
        await new Promise((r) => setTimeout(r, 100));
      }
      return { done, failed };
    },
    { guilds, ms: SECONDS * 1000 },
  );
  const sessions = await refreshing!.evaluate(() => window.clientPage.seen.session as SessionState[]);
  const expiries = new Set(sessions.flatMap((s) => (s.status === "authenticated" ? [s.expiresAt] : [])));
  expect(outcome.failed).toEqual([]);
  expect(outcome.done).toBeGreaterThan(SECONDS * 3);
  expect(sessions.filter((s) => s.status === "expired")).toEqual([]);
  // One token per half-life at least: refreshed all along, not once.
  expect(expiries.size).toBeGreaterThanOrEqual(SECONDS / TOKEN_LIFE_S);
  recordFigure("token-expiry", {
    fault: `token expiry (${TOKEN_LIFE_S} s tokens, a tab's refresher, ${SECONDS} s of requests from another tab)`,
    figure: `${outcome.done} requests, ${outcome.failed.length} failed; ${expiries.size} tokens used, never expired`,
    target: "0 failed requests",
    met: outcome.failed.length === 0,
  });
  await context.close();
});

test("without a refresher: expired in every tab, calls fail, one new login brings every subscription back", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 2);
  const guild = guildId(gateway, "Small Talk");
  for (const tab of tabs)
    await tab.evaluate(() => window.clientPage.track("session", window.clientPage.gateway.session$));
  await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "alice", 3));
  await tabs[0]!.evaluate((g) => window.clientPage.gateway.spectate(g), guild);
  await tabs[1]!.evaluate((g) => {
    const { gateway: gw, track } = window.clientPage;
    track("pool", gw.pool("channel", { guildId: g }).all$());
    track("logs", gw.logs$(g));
  }, guild);
  await tabs[1]!.waitForFunction(
    () => window.clientPage.last<{ status: string }>("pool")?.status === "ready",
  );
  await expect.poll(() => gateway.stats().rooms[`guild:${guild}:logs`]).toBe(1);

  for (const tab of tabs)
    await tab.waitForFunction(
      () => window.clientPage.last<SessionState>("session")?.status === "expired",
      null,
      {
        timeout: 10_000,
      },
    );
  const code = await tabs[1]!.evaluate(
    (g) =>
      window.clientPage.gateway.spectate(g).then(
        () => "resolved",
        (e: { code?: unknown }) => String(e.code),
      ),
    guild,
  );
  expect(code).toBe("session_expired");
  // Published while nobody may see it: replayed after the next login.
  await gateway.activity.publish(guild, "message", 5);

  await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "alice"));
  for (const tab of tabs)
    await tab.waitForFunction(
      () => window.clientPage.last<SessionState>("session")?.status === "authenticated",
    );
  // No new spectate: the wish outlived the session, and the log stream resumes where it stopped.
  await gateway.activity.publish(guild, "message", 5);
  const entries = () =>
    tabs[1]!.evaluate(() => (window.clientPage.seen.logs as LogEntry[][]).flat().map((e) => e.seq));
  await expect.poll(async () => (await entries()).length).toBe(10);
  const seqs = await entries();
  expect(new Set(seqs).size).toBe(10);
  expect(await tabs[1]!.evaluate(() => window.clientPage.last<{ status: string }>("pool")?.status)).toBe(
    "ready",
  );
  await context.close();
});

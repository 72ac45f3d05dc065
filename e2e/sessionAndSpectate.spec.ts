import type { SessionState, SpectatingState } from "../src";
import { expect, test } from "./fixtures";
import { guildId, openTabs, tokenFor } from "./helpers";

const guildRooms = (stats: { rooms: Record<string, number> }) =>
  Object.keys(stats.rooms)
    .filter((r) => r.startsWith("guild:"))
    .sort();

test("login in one tab authenticates every tab; logout in another makes all anonymous", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 3);
  for (const tab of tabs)
    await tab.evaluate(() => window.clientPage.track("session", window.clientPage.gateway.session$));
  const token = await tokenFor(gateway, "bob");
  const state = await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), token);
  expect(state).toMatchObject({ status: "authenticated" });
  for (const tab of tabs)
    await tab.waitForFunction(
      () => window.clientPage.last<SessionState>("session")?.status === "authenticated",
    );
  expect(gateway.stats().elevated).toBe(1);

  await tabs[2]!.evaluate(() => window.clientPage.gateway.logout());
  for (const tab of tabs)
    await tab.waitForFunction(() => window.clientPage.last<SessionState>("session")?.status === "anonymous");
  expect(gateway.stats().elevated).toBe(0);
  const hub = guildId(gateway, "Architus Hub");
  const failure = await tabs[1]!.evaluate(
    (g) =>
      window.clientPage.gateway.spectate(g).then(
        () => null,
        (e: { code: unknown; message: string }) => ({ code: e.code, message: e.message }),
      ),
    hub,
  );
  expect(failure).toEqual({ code: "not_authenticated", message: "spectate needs a login" });
  // The token never reaches storage.
  for (const tab of tabs) {
    const stored = await tab.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toContain(token.slice(0, 20));
  }
  await context.close();
});

test("spectate A in tab 1, B in tab 2: the socket is only in B's rooms; tab 1 sees it lost; focus takes A back", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const [t1, t2] = await openTabs(context, app.url, gateway, 2);
  await t1!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "dave"));
  for (const tab of [t1!, t2!])
    await tab.evaluate(() => window.clientPage.track("spec", window.clientPage.gateway.spectating$));
  const A = guildId(gateway, "Architus Hub");
  const B = guildId(gateway, "Midnight Guild");
  await t1!.evaluate((g) => window.clientPage.gateway.spectate(g), A);
  expect(guildRooms(gateway.stats())).toEqual([`guild:${A}`]);
  await t2!.evaluate((g) => window.clientPage.gateway.spectate(g), B);
  expect(guildRooms(gateway.stats())).toEqual([`guild:${B}`]);
  await t1!.waitForFunction((b) => window.clientPage.last<SpectatingState>("spec")?.guildId === b, B);
  expect(await t1!.evaluate(() => window.clientPage.last<SpectatingState>("spec"))).toMatchObject({
    guildId: B,
    mine: false,
    wanted: A,
  });
  await t2!.waitForFunction(() => window.clientPage.last<SpectatingState>("spec")?.mine === true);

  await t1!.bringToFront();
  // Headless Chromium keeps every page visible and focused, so bringToFront fires nothing:
  // deliver the window focus event a real tab switch fires.
  await t1!.evaluate(() => window.dispatchEvent(new Event("focus")));
  await t1!.waitForFunction((a) => window.clientPage.last<SpectatingState>("spec")?.guildId === a, A);
  expect(guildRooms(gateway.stats())).toEqual([`guild:${A}`]);
  expect(await t1!.evaluate(() => window.clientPage.last<SpectatingState>("spec"))).toMatchObject({
    mine: true,
  });
  await t2!.waitForFunction((a) => window.clientPage.last<SpectatingState>("spec")?.guildId === a, A);
  expect(await t2!.evaluate(() => window.clientPage.last<SpectatingState>("spec"))).toMatchObject({
    mine: false,
    wanted: B,
  });
  await context.close();
});

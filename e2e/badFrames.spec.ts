/**
 * Hostile frames from the gateway (issue 8, item 9), in Chromium: the reference gateway's
 * `bad_frames` fault sends every socket malformed frames of every server event and of unknown
 * events. The worker drops and counts each one; no tab receives any of it; pools, logs and the
 * session stay as they were; the connection stays.
 */
import type { Diagnostics } from "../src";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { guildId, openTabs, tokenFor } from "./helpers";

const PER_EVENT = FULL ? 10_000 : 1000;
/** Counters the worker keeps for frames it refuses (see `Diagnostics.counters`). */
const REFUSED = ["badFrames", "staleFrames", "orphanFrames", "duplicateFrames", "gatewayErrors"];
const TRACKED = ["logs", "pool", "session", "spectating", "connection"];

test(`${PER_EVENT.toLocaleString("en")} malformed frames of every server event: nothing reaches a tab, nothing changes, all counted`, async ({
  browser,
  gateway,
  app,
}) => {
  test.setTimeout(FULL ? 300_000 : 90_000);
  const context = await browser.newContext();
  const tabs = await openTabs(context, app.url, gateway, 2);
  const errors: string[] = [];
  for (const tab of tabs) tab.on("pageerror", (e) => errors.push(e.message));
  const guild = guildId(gateway, "Small Talk");
  const other = guildId(gateway, "Tiny Test");
  await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "alice"));
  await tabs[0]!.evaluate((g) => window.clientPage.gateway.spectate(g), guild);
  for (const tab of tabs)
    await tab.evaluate((g) => {
      const { gateway: gw, track } = window.clientPage;
      track("logs", gw.logs$(g));
      track("pool", gw.pool("autoResponse", { guildId: g }).all$());
      track("session", gw.session$);
      track("spectating", gw.spectating$);
      track("connection", gw.connection$);
      track("diagnostics", gw.diagnostics$);
    }, guild);
  // The logs flow once the socket spectates with them: entries published before would not be owed.
  await expect.poll(() => gateway.stats().rooms[`guild:${guild}:logs`]).toBe(1);
  await gateway.activity.publish(guild, "message", 20);
  const entries = (tab: (typeof tabs)[number]) =>
    tab.evaluate(() => (window.clientPage.seen.logs as unknown[][]).flat().length);
  for (const tab of tabs) await expect.poll(() => entries(tab)).toBe(20);
  for (const tab of tabs)
    await tab.waitForFunction(() => window.clientPage.last<{ status: string }>("pool")?.status === "ready");

  const seen = (tab: (typeof tabs)[number]) =>
    tab.evaluate((names) => JSON.stringify(names.map((n) => window.clientPage.seen[n])), TRACKED);
  const before = await Promise.all(tabs.map(seen));
  const refused = () =>
    tabs[0]!.evaluate((keys) => {
      const counters = window.clientPage.last<Diagnostics>("diagnostics")?.counters ?? {};
      return keys.reduce((sum, k) => sum + (counters[k] ?? 0), 0);
    }, REFUSED);
  const refusedBefore = await refused();

  const started = Date.now();
  const res = await fetch(`${gateway.url}/dev/fault`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      kind: "bad_frames",
      per_event: PER_EVENT,
      guild_id: guild,
      other_guild_id: other,
    }),
  });
  expect(res.status).toBe(200);
  const { sent } = (await res.json()) as { sent: number };
  // Every frame is counted once (diagnostics$ says so at most 4 times a second).
  await expect.poll(async () => (await refused()) - refusedBefore, { timeout: 120_000 }).toBe(sent);
  const elapsed = Date.now() - started;

  expect(errors).toEqual([]);
  // No tab received anything: every observable emitted exactly what it had before.
  expect(await Promise.all(tabs.map(seen))).toEqual(before);
  expect(gateway.stats().sockets).toBe(1);
  // And it still works.
  await gateway.activity.publish(guild, "message", 5);
  for (const tab of tabs) await expect.poll(() => entries(tab)).toBe(25);
  recordFigure("bad-frames", {
    fault: `bad frames from the gateway (${PER_EVENT.toLocaleString("en")} per event, every server event and unknown ones)`,
    figure: `${sent.toLocaleString("en")} frames: all ${sent.toLocaleString("en")} refused and counted in ${elapsed} ms, 0 reached a tab, 0 page errors, the same socket, logs flow after`,
    target: "nothing reaches a tab, nothing changes, all counted, the connection stays",
    met: true,
  });
  await context.close();
});

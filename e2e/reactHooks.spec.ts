/**
 * The React hooks (issue 10) in real Chromium, StrictMode on: `useLogs` renders once per
 * delivered batch, not per entry; `useEntity` rows render again only when their entity changed;
 * StrictMode's double mount leaves one worker subscription, and unmounting leaves none.
 */
import type { Page } from "@playwright/test";
import type { LogPoolPayload } from "../src/protocol";
import type { Diagnostics, GatewayClient } from "../src";
import { expect, test } from "./fixtures";
import { guildId, tokenFor } from "./helpers";

interface ReactPage {
  commits: { logs: number; session: number; rows: Record<string, number> };
  shown: { lastSeq: number; windowSize: number; received: number; rows: Record<string, string> };
  batches: number;
  mounted: boolean;
  diagnostics: Diagnostics | null;
}
declare global {
  interface Window {
    reactPage: ReactPage & {
      client: GatewayClient;
      show(s: { guild: string | null; rowIds: string[] }): void;
      countBatches(guild: string): void;
    };
  }
}

const state = (page: Page) =>
  page.evaluate(() => JSON.parse(JSON.stringify({ ...window.reactPage, client: undefined })) as ReactPage);

test("useLogs renders once per batch; useEntity rows render only when their entity changes; StrictMode leaks no subscription", async ({
  page,
  gateway,
  app,
}) => {
  await page.goto(`${app.url}/e2e/pages/reactPage.html?gateway=${encodeURIComponent(gateway.url)}`);
  await page.waitForFunction(() => window.reactPage?.mounted === true);
  const guild = guildId(gateway, "Small Talk");
  const rowIds = [...gateway.context.dataset.guilds.get(guild)!.pools.autoResponse.keys()];
  expect(rowIds.length).toBeGreaterThan(1);
  await page.evaluate((t) => window.reactPage.client.login(t), await tokenFor(gateway, "alice"));
  await page.evaluate((g) => window.reactPage.client.spectate(g), guild);
  await page.evaluate((s) => window.reactPage.show(s), { guild, rowIds });
  await page.waitForFunction(
    (n) => Object.values(window.reactPage.shown.rows).filter((t) => t.startsWith("{")).length === n,
    rowIds.length,
  );
  await page.waitForFunction(() => window.reactPage.diagnostics?.spectating.includeLogs === true);
  // StrictMode mounted every component twice: one worker subscription for the logs window, one
  // per row (each row's entity), nothing left over from the first mount.
  await expect.poll(async () => (await state(page)).diagnostics?.subscriptions.logs).toBe(1);
  await expect.poll(async () => (await state(page)).diagnostics?.subscriptions.pool).toBe(rowIds.length);
  // A plain subscription beside the hook counts the batches the tab receives; it shares the
  // hook's observable (the same spec), even though StrictMode unsubscribed it once.
  await page.evaluate((g) => window.reactPage.countBatches(g), guild);

  // 1. A burst of 1,000 entries: one render per delivered batch.
  const before = await state(page);
  const latest =
    (await gateway.activity.publish(guild, "message", 1000)) &&
    gateway.context.events.latest(`${guild}_logs`);
  await page.waitForFunction((seq) => window.reactPage.shown.lastSeq === seq, latest);
  const after = await state(page);
  const renders = after.commits.logs - before.commits.logs;
  const batches = after.batches - before.batches;
  expect(after.shown.windowSize).toBe(50);
  expect(after.shown.received - before.shown.received).toBe(1000);
  expect(renders).toBeGreaterThanOrEqual(1);
  expect(renders).toBeLessThanOrEqual(batches);
  // Entries arrive many to a batch (the gateway's log_batch, the worker's delivery window), even
  // with two subscribers of the tab's logs: not one batch per entry.
  expect(batches).toBeGreaterThanOrEqual(1);
  expect(batches).toBeLessThanOrEqual(100);
  // (The worker's diagnostics moved on meanwhile: still one logs subscription for both.)
  expect(after.diagnostics?.subscriptions.logs).toBe(1);

  // 2. Pool changes: only the rows whose entity changed render again.
  const poolBefore = gateway.context.events.latest(guild);
  let changed = new Set<string>();
  for (let i = 0; i < 200 && changed.size === 0; i++) {
    await gateway.activity.publish(guild, "pool_update", 1);
    changed = new Set(
      (gateway.context.events.since(guild, poolBefore) ?? [])
        .flatMap((e) => (e.value as LogPoolPayload).updates)
        .filter((u) => u.type === "autoResponse" && rowIds.includes(u.id))
        .map((u) => u.id),
    );
  }
  expect(changed.size).toBeGreaterThan(0);
  const truth = gateway.context.dataset.guilds.get(guild)!.pools.autoResponse;
  // An edited entity shows as the gateway has it; a removed one shows no entity.
  const expected = (id: string) => (truth.has(id) ? JSON.stringify(truth.get(id)) : null);
  for (const id of changed)
    await page.waitForFunction(
      ([id, text]) => {
        const shown = window.reactPage.shown.rows[id!] ?? "";
        return text === null
          ? !shown.startsWith("{")
          : shown.startsWith("{") && JSON.stringify(JSON.parse(shown)) === text;
      },
      [id, expected(id)] as const,
    );
  const final = await state(page);
  for (const id of rowIds) {
    const extra = (final.commits.rows[id] ?? 0) - (after.commits.rows[id] ?? 0);
    if (changed.has(id)) expect(extra, `row ${id} changed`).toBeGreaterThanOrEqual(1);
    else expect(extra, `row ${id} did not change`).toBe(0);
  }

  // 3. Unmounted: the hooks' worker subscriptions are gone (the plain logs$ one stays).
  await page.evaluate(() => window.reactPage.show({ guild: null, rowIds: [] }));
  await expect.poll(async () => (await state(page)).diagnostics?.subscriptions.pool ?? 0).toBe(0);
  await expect.poll(async () => (await state(page)).diagnostics?.subscriptions.logs).toBe(1);
  expect(renders).toBeLessThanOrEqual(100);
});

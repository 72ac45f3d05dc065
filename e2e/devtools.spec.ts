/**
 * The devtools panel (issue 22) in real browsers, mounted on a page that uses the library as an
 * app does: collapsed it renders nothing; opened with the keyboard it shows the connection and
 * its transport, the tabs, the session without its token, a drop and its recovery with the
 * reason, and renders at most once per interval while logs flow at 1,000/s; a pool's row opens
 * from the keyboard to list its entities; the log rate, its sparkline and the delivery latencies
 * show; the dev-only actions do what they say, and are refused for a client made without
 * `devtools: true`; unmounted it leaves nothing. Also in the leader project.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import type { Diagnostics } from "../src";
import type * as Devtools from "../src/devtools";
import { dropSockets } from "../demo/gateway/context";
import { expect, test } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";

declare global {
  interface Window {
    unmountDevtools?: () => void;
  }
}

const mount = (tab: Page, options: Devtools.DevtoolsOptions = { minIntervalMs: 1000 }) =>
  tab.evaluate(async (options) => {
    // An app whose styles would make the panel unreadable if they reached it (the demo's did).
    const hostile = document.createElement("style");
    hostile.textContent =
      "section, dl, dt, dd, h3, li, button { background: #fff; color: #fff; font-size: 4px }";
    document.head.append(hostile);
    const { mountDevtools } = (await import(
      /* @vite-ignore */ `${location.origin}/src/devtools/index.ts`
    )) as typeof Devtools;
    window.unmountDevtools = mountDevtools(document.body, window.clientPage.gateway, options);
  }, options);
const renders = (tab: Page) =>
  tab.evaluate(() => Number(document.querySelector<HTMLElement>(".agd-host")?.dataset.renders ?? 0));
const panelText = (tab: Page) => tab.locator(".agd-panel").innerText();

test("the devtools panel: keyboard, live numbers, a drop with its reason, throttled renders, no token, unmount", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tab = await openTab(context, app.url, gateway);
  await mount(tab);
  const toggle = tab.getByRole("button", { name: "Gateway devtools" });
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await expect(tab.locator(".agd-panel")).toBeHidden();

  // Collapsed: the streams flow (diagnostics every 250 ms at most), the panel renders nothing.
  await tab.evaluate(() => window.clientPage.track("diag", window.clientPage.gateway.diagnostics$));
  await tab.waitForFunction(() => (window.clientPage.seen.diag?.length ?? 0) >= 2);
  expect(await renders(tab)).toBe(0);

  // Opened from the keyboard.
  await toggle.focus();
  await tab.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(tab.getByRole("region", { name: "Gateway connection devtools" })).toBeVisible();
  await expect.poll(() => panelText(tab)).toMatch(/status\s+connected/);
  await expect.poll(() => panelText(tab)).toMatch(/Tabs \(1\)/);
  await expect.poll(() => panelText(tab)).toMatch(/transport\s+websocket/);

  // An accessibility scan of the open panel (axe-core): no serious or critical violation, the
  // contrast checked (against the app's hostile styles, which the shadow root keeps out).
  const scan = await new AxeBuilder({ page: tab }).include(".agd-host").analyze();
  const serious = scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  expect(scan.passes.map((p) => p.id)).toEqual(
    expect.arrayContaining(["color-contrast", "button-name", "aria-allowed-attr"]),
  );

  // Another tab: the worker's tab count moves.
  const second = await openTab(context, app.url, gateway);
  await expect.poll(() => panelText(tab)).toMatch(/Tabs \(2\)/);
  await expect.poll(() => panelText(tab)).toMatch(/\(this tab\)/);

  // The session, without the token.
  const token = await tokenFor(gateway, "alice");
  await tab.evaluate((t) => window.clientPage.gateway.login(t), token);
  const alice = gateway.context.dataset.demoUsers.find((u) => u.name === "alice")!;
  await expect.poll(() => panelText(tab)).toMatch(new RegExp(`user\\s+${alice.id}\\b`));
  // Nowhere in the page, the panel's shadow root included.
  const everything = () =>
    tab.evaluate(() => document.body.innerHTML + document.querySelector(".agd-host")!.shadowRoot!.innerHTML);
  expect(await everything()).toContain(alice.id);
  expect(await everything()).not.toContain(token.split(".")[2]!);
  expect(await everything()).not.toContain(token.split(".")[1]!);

  // A drop and its recovery, with the reason, in the timeline.
  expect(dropSockets(gateway.context)).toBe(1);
  await expect.poll(() => panelText(tab)).toMatch(/reconnecting \(.+\)/);
  await expect.poll(() => panelText(tab)).toMatch(/reconnecting \(.+\)[\s\S]*connected/);

  // Logs at 1,000/s for 2 s: at most one render per 250 ms of the page's own clock.
  const hub = guildId(gateway, "Small Talk");
  await tab.evaluate((g) => window.clientPage.gateway.spectate(g), hub);
  await tab.evaluate((g) => window.clientPage.track("logs", window.clientPage.gateway.logs$(g)), hub);
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`] ?? 0).toBe(1);
  await expect.poll(() => panelText(tab)).toMatch(new RegExp(`guild\\s+${hub}\\b`));
  const sample = () =>
    tab.evaluate(() => ({
      at: performance.now(),
      renders: Number(document.querySelector<HTMLElement>(".agd-host")!.dataset.renders),
      diagnostics: window.clientPage.seen.diag!.length,
    }));
  const before = await sample();
  // Meanwhile a pool subscription comes and goes every 50 ms: diagnostics$ moves as often as it
  // may (4 times a second), and the panel renders once a second.
  const churn = tab.evaluate(async (g) => {
    for (let i = 0; i < 40; i++) {
      window.clientPage.track("churn", window.clientPage.gateway.pool("role", { guildId: g }).all$());
      await new Promise((r) => setTimeout(r, 25));
      window.clientPage.untrack("churn");
      await new Promise((r) => setTimeout(r, 25));
    }
  }, hub);
  for (let i = 0; i < 20; i++) {
    await gateway.activity.publish(hub, "message", 100);
    await new Promise((r) => setTimeout(r, 100));
  }
  await churn;
  const after = await sample();
  const batches = await tab.evaluate(() => window.clientPage.seen.logs?.length ?? 0);
  expect(batches).toBeGreaterThan(10);
  // At most one render a second (this panel's interval), of more diagnostics than that.
  const rendered = after.renders - before.renders;
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThanOrEqual(Math.floor((after.at - before.at) / 1000) + 1);
  expect(after.diagnostics - before.diagnostics).toBeGreaterThan(rendered);

  // Collapsed again: diagnostics keep coming, renders stop.
  await toggle.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  const frozen = await renders(tab);
  const seen = await tab.evaluate(() => window.clientPage.seen.diag!.length);
  // A tab opens and closes: diagnostics$ says so twice; the collapsed panel renders neither.
  const third = await openTab(context, app.url, gateway);
  await tab.waitForFunction(() => window.clientPage.last<Diagnostics>("diag")?.tabs === 3);
  await third.close();
  await tab.waitForFunction(() => window.clientPage.last<Diagnostics>("diag")?.tabs === 2);
  expect(await tab.evaluate(() => window.clientPage.seen.diag!.length)).toBeGreaterThanOrEqual(seen + 2);
  expect(await renders(tab)).toBe(frozen);

  // Unmounted: its nodes go, and its subscriptions (session$, spectating$) with them.
  const subscriptions = () =>
    second.evaluate(() => window.clientPage.last<Diagnostics>("d")?.subscriptions ?? {});
  await second.evaluate(() => window.clientPage.track("d", window.clientPage.gateway.diagnostics$));
  await expect.poll(async () => (await subscriptions()).session ?? 0).toBeGreaterThan(0);
  await tab.evaluate(() => window.unmountDevtools!());
  expect(await tab.locator(".agd-host").count()).toBe(0);
  await expect.poll(async () => (await subscriptions()).session ?? 0).toBe(0);
  await context.close();
});

const said = (tab: Page) => tab.locator(".agd-said").innerText();
const workerId = (tab: Page) =>
  tab.evaluate(() => window.clientPage.last<Diagnostics>("diag")?.workerId ?? null);

test("the devtools panel: pools browsed by keyboard, the log rate and latencies, the dev-only actions", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tab = await openTab(context, app.url, gateway, { devtools: true });
  await mount(tab, { open: true, actions: true, minIntervalMs: 250 });
  await tab.evaluate(() => window.clientPage.track("diag", window.clientPage.gateway.diagnostics$));
  await expect.poll(() => panelText(tab)).toMatch(/this tab\) · devtools/);
  await tab.evaluate(async (t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "alice"));
  const hub = guildId(gateway, "Small Talk");
  await tab.evaluate((g) => window.clientPage.gateway.spectate(g), hub);

  // A pool loads: its row, whole, with its entities.
  await tab.evaluate(
    (g) => window.clientPage.track("roles", window.clientPage.gateway.pool("role", { guildId: g }).all$()),
    hub,
  );
  const roles = () =>
    tab.evaluate(() =>
      window.clientPage.last<{ status: string; entities: { id: string; name: string }[] }>("roles"),
    );
  await expect.poll(async () => (await roles())?.status).toBe("ready");
  const held = (await roles())!.entities;
  const browse = tab.getByRole("button", { name: `role · ${hub}` });
  await expect(browse).toBeVisible();
  await expect
    .poll(() => panelText(tab))
    .toMatch(new RegExp(`role · ${hub}\\s+${held.length} · ready · whole`));

  // Browsed from the keyboard: its entities by name, and the button keeps the focus across renders.
  await browse.focus();
  await tab.keyboard.press("Enter");
  await expect(browse).toHaveAttribute("aria-expanded", "true");
  await expect.poll(() => panelText(tab)).toContain(`${held[0]!.name} (${held[0]!.id})`);
  await expect
    .poll(() => panelText(tab))
    .toMatch(new RegExp(`role\\|${hub}\\|: ${held.length} entities \\(ready\\)`));
  const rendersNow = await renders(tab);
  await expect.poll(() => renders(tab)).toBeGreaterThan(rendersNow + 1);
  const focused = () =>
    tab.evaluate(
      () =>
        (document.querySelector(".agd-host")!.shadowRoot!.activeElement as HTMLElement | null)?.dataset
          .browse,
    );
  expect(await focused()).toBe(`role|${hub}|`);
  await tab.keyboard.press("Enter");
  await expect(browse).toHaveAttribute("aria-expanded", "false");
  await expect.poll(() => panelText(tab)).not.toContain(`${held[0]!.name} (${held[0]!.id})`);

  // Logs flow: their rate, its sparkline, the delivery latencies.
  await tab.evaluate((g) => window.clientPage.track("logs", window.clientPage.gateway.logs$(g)), hub);
  await expect.poll(() => gateway.stats().rooms[`guild:${hub}:logs`] ?? 0).toBe(1);
  for (let i = 0; i < 10; i++) {
    await gateway.activity.publish(hub, "message", 100);
    await new Promise((r) => setTimeout(r, 100));
  }
  await expect.poll(() => panelText(tab)).toMatch(/entries received\s+[1-9]\d{2,}/);
  // Renders rebuild only the sections that changed: the session's node is the same one, the log
  // stream's a new one.
  const sectionNode = (title: string) =>
    `[...document.querySelector(".agd-host").shadowRoot.querySelectorAll("section section")].find((s) => s.querySelector("h3")?.textContent === ${JSON.stringify(title)})`;
  await tab.evaluate(
    `(${sectionNode("Session")}).dataset.mark = "kept"; (${sectionNode("Log stream")}).dataset.mark = "old"`,
  );
  const marked = await renders(tab);
  await gateway.activity.publish(hub, "message", 50);
  await expect.poll(() => renders(tab)).toBeGreaterThan(marked + 1);
  expect(await tab.evaluate(`(${sectionNode("Session")}).dataset.mark ?? "rebuilt"`)).toBe("kept");
  expect(await tab.evaluate(`(${sectionNode("Log stream")}).dataset.mark ?? "rebuilt"`)).toBe("rebuilt");
  await expect
    .poll(() => panelText(tab))
    .toMatch(/delivery latency \(all tabs\)\s+p50 \d+ · p95 \d+ · p99 \d+ ms/);
  const points = await tab.evaluate(
    () =>
      document
        .querySelector(".agd-host")!
        .shadowRoot!.querySelector(".agd-spark polyline")!
        .getAttribute("points") ?? "",
  );
  expect(points.split(" ").length).toBeGreaterThan(2);

  // The actions, each saying what it did.
  await tab.getByRole("button", { name: "Re-spectate" }).click();
  await expect.poll(() => said(tab)).toBe("Re-spectate: spectating again.");
  await expect.poll(() => panelText(tab)).toMatch(new RegExp(`guild\\s+${hub}\\b`));
  await tab.getByRole("button", { name: "Drop socket" }).click();
  await expect.poll(() => said(tab)).toBe("Drop socket: dropped the transport.");
  await expect.poll(() => panelText(tab)).toMatch(/reconnecting \(transport close\)[\s\S]*connected/);
  const before = await workerId(tab);
  await tab.getByRole("button", { name: "Restart worker" }).click();
  await expect.poll(() => said(tab)).toBe("Restart worker: ending the worker.");
  // A new worker serves the tab, connected again.
  await expect.poll(() => workerId(tab), { timeout: 20_000 }).not.toBe(before);
  await expect.poll(() => panelText(tab), { timeout: 20_000 }).toMatch(/status\s+connected/);

  // A tab whose client was made without `devtools: true`: the worker refuses, the panel says so.
  const plain = await openTab(context, app.url, gateway);
  await mount(plain, { open: true, actions: true, minIntervalMs: 250 });
  await expect.poll(() => panelText(plain)).toMatch(/refusedCalls: \d+/);
  await plain.getByRole("button", { name: "Drop socket" }).click();
  await expect
    .poll(() => said(plain))
    .toBe("Drop socket refused: bad_input: devtools actions need connectGateway({ devtools: true })");
  await expect.poll(() => panelText(plain)).toMatch(/refusedCalls: [1-9]\d* \(moved\)/);
  await context.close();
});

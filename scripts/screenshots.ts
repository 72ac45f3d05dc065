/**
 * `npm run screenshots`: the README's pictures, from the real thing. Starts the reference
 * gateway and the demo's dev server on 127.0.0.1, opens the demo in Debian's Chromium as
 * user dave in "Architus Hub" with its logs flowing, opens the devtools panel, and saves
 * docs/images/demo.png (the page) and docs/images/devtools-panel.png (the panel alone).
 */
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../playwright.config";
import { startDevServer } from "../demo/devServer";
import { createGateway } from "../demo/gateway/createGateway";

const gateway = await createGateway({ secret: "screenshots-secret-0123456789abcdef0123", warn: () => {} });
const app = await startDevServer({ root: ".", port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${app.url}/demo/app/index.html?gateway=${encodeURIComponent(gateway.url)}`);
  await page.getByTestId("connection").getByText("connected").waitFor();
  await page.getByTestId("login-dave").click();
  await page.getByTestId("session").getByText("authenticated").waitFor();
  await page.getByTestId("guild-Architus Hub").click();
  await page.getByTestId("pool-status").getByText("ready").first().waitFor();
  const hub = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!.id;
  // The channels in their categories, as the dashboard lists them.
  await page.getByRole("button", { name: "channel", exact: true }).click();
  await page.getByTestId("channel-tree").waitFor();
  await page.getByRole("button", { name: "Gateway devtools" }).click();
  // Logs for a few seconds at a changing rate: the panel's sparkline has something to draw.
  for (let i = 0; i < 40; i++) {
    await gateway.activity.publish(hub, "message", 5 + (i % 10) * 3);
    await new Promise((r) => setTimeout(r, 100));
  }
  const panel = page.getByRole("region", { name: "Gateway connection devtools" });
  await panel.getByText("authenticated").waitFor();
  // Until the log's rows name their agents (the members on show are fetched once a second).
  const named = [...gateway.context.dataset.guilds.get(hub)!.pools.member.values()].map(
    (m) => m.nick ?? m.name,
  );
  for (let i = 0; i < 50; i++) {
    const rows = await page.locator(".log .row").allInnerTexts();
    if (rows.filter((row) => named.some((name) => row.includes(` ${name} `))).length >= 5) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await page.screenshot({ path: "docs/images/demo.png" });
  // The whole panel: a tall window, the panel as tall as it needs (a themable variable).
  await page.setViewportSize({ width: 1400, height: 2400 });
  await page
    .locator(".agd-host")
    .evaluate((host: HTMLElement) => host.style.setProperty("--agd-max-height", "none"));
  await panel.screenshot({ path: "docs/images/devtools-panel.png" });
  console.log("saved docs/images/demo.png and docs/images/devtools-panel.png");
} finally {
  await browser.close();
  await app.server.close();
  await gateway.stop();
}

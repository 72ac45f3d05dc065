/**
 * The library as an app gets it, in every engine: packed with `npm pack`, installed from the
 * tarball into the Vite example (examples/vite-react), built for production by the app's own
 * Vite, served from its own origin (see e2e/consumerApps.spec.ts). Three tabs share one worker
 * and one socket; each logs in, loads a pool and receives live log entries.
 */
import { join } from "node:path";
import { guildId } from "../helpers";
import {
  installExample,
  packLibrary,
  runBin,
  scratch,
  serveStatic,
  type StaticServer,
} from "../consumers/consumerApps";
import { until, workerLocks } from "./clientTabs";
import type { EngineTab } from "./engine";
import { expect, test as base } from "./engineFixture";
import { engineFigure } from "./figures";

const test = base.extend<object, { viteApp: StaticServer }>({
  viteApp: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const tmp = await scratch();
      try {
        const app = await installExample("vite-react", await packLibrary(tmp.dir), tmp.dir);
        await runBin(app, "vite", ["build", "--logLevel", "warn"]);
        const served = await serveStatic(join(app, "dist"));
        try {
          await use(served);
        } finally {
          await served.close();
        }
      } finally {
        await tmp.dispose();
      }
    },
    { scope: "worker", timeout: 300_000 },
  ],
});

/** The text of `selector` in the tab (null when it is not there). */
const text = (tab: EngineTab, selector: string) =>
  tab.run((s) => document.querySelector(s)?.textContent ?? null, selector);

test("the packed Vite example: 3 tabs share 1 worker and 1 socket; login, pool and logs in every tab", async ({
  engine,
  gateway,
  viteApp,
}) => {
  const guild = guildId(gateway, "Small Talk");
  const url = `${viteApp.url}/?gateway=${encodeURIComponent(gateway.url)}&guild=${guild}`;
  const started = Date.now();
  const tabs: EngineTab[] = [];
  for (let i = 0; i < 3; i++) {
    // The last tab, the one in front, shows the devtools panel (issue 22), lazily loaded from
    // ./devtools/react (a panel in a hidden tab renders nothing until it shows).
    const tab = await engine.openTab(i === 2 ? `${url}&devtools` : url);
    await until(tab, () => document.querySelector("#session")?.textContent ?? null, undefined, {
      timeout: 30_000,
      accept: (status) => status === "authenticated",
      what: "#session authenticated",
    });
    tabs.push(tab);
  }
  const loggedIn = Date.now() - started;
  const channels = gateway.context.dataset.guilds.get(guild)!.pools.channel.size;
  expect(channels).toBeGreaterThan(0);
  for (const tab of tabs)
    await until(tab, () => document.querySelector("#channels")?.textContent ?? null, undefined, {
      accept: (count) => count === String(channels),
      what: `#channels ${channels}`,
    });

  await gateway.activity.publish(guild, "message", 25);
  for (const tab of tabs)
    await until(tab, () => document.querySelector("#logs")?.textContent ?? null, undefined, {
      accept: (count) => count === "25",
      what: "#logs 25",
    });
  expect(gateway.stats().sockets).toBe(1);
  // One worker for the three tabs: one worker lifetime lock in the origin, served from the app's origin.
  for (const tab of tabs) expect(await workerLocks(tab)).toHaveLength(1);
  const workerScripts = viteApp.requests.filter((path) => /worker/i.test(path) && path.endsWith(".js"));
  expect(workerScripts.length).toBeGreaterThan(0);
  expect(await text(tabs[0]!, "#session")).toBe("authenticated");
  // The panel, from the tarball, in this engine: the worker's three tabs, the session, no token.
  const panel = () =>
    document.querySelector(".agd-host")?.shadowRoot?.querySelector<HTMLElement>(".agd-panel")?.innerText ??
    "";
  // A panel whose page is hidden renders nothing until it shows; WebKit's driver reports every
  // window hidden (WebKitWebDriver and MiniBrowser under Xvfb), so there the panel must not have
  // rendered, and its state is read through its export instead.
  const shown = await tabs[2]!.run(() => document.visibilityState === "visible");
  if (shown)
    await until(tabs[2]!, panel, undefined, {
      accept: (t) =>
        /Tabs \(3\)/.test(t) &&
        /status\s+authenticated/.test(t) &&
        /token\s+never shown/.test(t) &&
        /channel · \d+\s+\d+ · ready · whole/.test(t) &&
        /transport\s+(websocket|polling)/.test(t),
      what: "the devtools panel showing 3 tabs, the session, the channel pool and the transport",
    });
  else {
    expect(
      await tabs[2]!.run(() => document.querySelector<HTMLElement>(".agd-host")?.dataset.renders ?? "none"),
    ).toBe("none");
    const said = await tabs[2]!.run(() => {
      const root = document.querySelector(".agd-host")!.shadowRoot!;
      [...root.querySelectorAll("button")].find((b) => b.textContent === "Export JSON")!.click();
      return root.querySelector(".agd-said")?.textContent ?? "";
    });
    expect(Number(/\((\d+) characters\)/.exec(said)?.[1] ?? 0)).toBeGreaterThan(1000);
  }
  // A dev-only action (the example's client has `devtools: true`): the worker does it and says so,
  // whether the panel renders or not.
  await tabs[2]!.run(() => {
    const root = document.querySelector(".agd-host")!.shadowRoot!;
    [...root.querySelectorAll("button")].find((b) => b.textContent === "Re-spectate")!.click();
  });
  await until(
    tabs[2]!,
    () => document.querySelector(".agd-host")?.shadowRoot?.querySelector(".agd-said")?.textContent ?? "",
    undefined,
    { accept: (t) => t === "Re-spectate: spectating again.", what: "the re-spectate action's answer" },
  );
  expect(await tabs[0]!.run(() => document.querySelector(".agd-host") !== null)).toBe(false);
  engineFigure(
    "consumer-vite",
    `the packed Vite example: 3 tabs logged in (one after the other) in ${loggedIn} ms, 1 worker, 1 socket, the pool and 25 live entries in every tab`,
    { loggedInMs: loggedIn },
  );
});

import puppeteer, { type Page } from "puppeteer-core";
import type { Engine, EngineBrowser, EngineTab, PageOutcome } from "./engine";
import { pageExpression, settle } from "./pageScript";

/** Debian's Firefox ESR by default; FIREFOX_PATH points at another Firefox binary. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/lib/firefox-esr/firefox-esr";

/** A puppeteer page (over WebDriver BiDi) as an engine tab. */
function bidiTab(page: Page): EngineTab {
  return {
    run: async (fn, arg) => settle(await page.evaluate<[], () => PageOutcome>(pageExpression(fn, arg))),
    reload: async () => void (await page.reload({ waitUntil: "load" })),
    close: () => page.close({ runBeforeUnload: false }),
  };
}

/**
 * Firefox through WebDriver BiDi (puppeteer-core), headless; a BiDi user context (a fresh
 * profile: its own storage, workers and locks) per test.
 */
export async function launchFirefox(): Promise<Engine> {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    // Loopback traffic never through a proxy; no update checks, no telemetry.
    extraPrefsFirefox: {
      "network.proxy.allow_hijacking_localhost": false,
      "app.update.enabled": false,
      "toolkit.telemetry.enabled": false,
    },
  });
  const version = await browser.version();
  return {
    name: "firefox",
    version,
    newBrowser: async (): Promise<EngineBrowser> => {
      const context = await browser.createBrowserContext();
      return {
        name: "firefox",
        openTab: async (url) => {
          const page = await context.newPage();
          await page.goto(url, { waitUntil: "load" });
          return bidiTab(page);
        },
        close: () => context.close(),
      };
    },
    stop: () => browser.close(),
  };
}

import { chromium, type Page } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../playwright.config";
import type { Engine, EngineBrowser, EngineTab, PageOutcome } from "./engine";
import { pageExpression, settle } from "./pageScript";

/** A Playwright page as an engine tab. */
function playwrightTab(page: Page): EngineTab {
  return {
    run: async (fn, arg) => settle(await page.evaluate<PageOutcome>(pageExpression(fn, arg))),
    reload: async () => void (await page.reload()),
    close: () => page.close({ runBeforeUnload: false }),
  };
}

/** Chromium as the other suites run it (playwright.config's binary and flags); a browser context per test. */
export async function launchChromium(): Promise<Engine> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return {
    name: "chromium",
    version: browser.version(),
    newBrowser: async (): Promise<EngineBrowser> => {
      const context = await browser.newContext();
      return {
        name: "chromium",
        openTab: async (url) => {
          const page = await context.newPage();
          await page.goto(url);
          return playwrightTab(page);
        },
        close: () => context.close(),
      };
    },
    stop: () => browser.close(),
  };
}

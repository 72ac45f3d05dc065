import { test, type BrowserContext, type Page } from "@playwright/test";
import type { Gateway } from "../demo/gateway/createGateway";
import { signDemoToken } from "../demo/gateway/signDemoToken";
import type { ClientPage } from "./pages/clientPage";

declare global {
  interface Window {
    clientPage: ClientPage;
  }
}

/** Opens a tab of the client page in `context`, connected to `gateway` (a gateway, or a cluster's balancer), and waits until the worker accepted it. */
export async function openTab(
  context: BrowserContext,
  appUrl: string,
  gateway: Pick<Gateway, "url">,
  options: {
    shared?: boolean;
    firstDelayMs?: number;
    backlog?: number;
    mode?: string;
    devtools?: boolean;
  } = {},
): Promise<Page> {
  const shared = options.shared === false ? "&shared=0" : "";
  const delay = options.firstDelayMs !== undefined ? `&firstDelay=${options.firstDelayMs}` : "";
  const backlog = options.backlog !== undefined ? `&backlog=${options.backlog}` : "";
  const modeOption = options.mode ?? (options.shared === false ? undefined : projectMode());
  const mode = modeOption !== undefined ? `&mode=${modeOption}` : "";
  const devtools = options.devtools ? "&devtools=1" : "";
  const page = await openClientPage(
    context,
    appUrl,
    gateway,
    `${shared}${delay}${backlog}${mode}${devtools}`,
  );
  await page.evaluate(() => window.clientPage.gateway.ready);
  return page;
}

/**
 * Opens the client page with `query` added to its URL (`&name=value…`, see clientPage.ts) and
 * waits for its client to exist, not for the worker: for pages whose worker is meant to fail.
 */
export async function openClientPage(
  context: BrowserContext,
  appUrl: string,
  gateway: Pick<Gateway, "url">,
  query: string,
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${appUrl}/e2e/pages/clientPage.html?gateway=${encodeURIComponent(gateway.url)}${query}`);
  await page.waitForFunction(() => window.clientPage !== undefined);
  return page;
}

/** The mode the running project tests (the `leader` project runs shared-mode scenarios in leader mode). */
export function projectMode(): "shared" | "leader" | undefined {
  return (test.info().project.metadata as { mode?: "leader" } | undefined)?.mode;
}

export async function openTabs(
  context: BrowserContext,
  appUrl: string,
  gateway: Gateway,
  n: number,
  options: { firstDelayMs?: number } = {},
): Promise<Page[]> {
  const pages: Page[] = [];
  for (let i = 0; i < n; i++) pages.push(await openTab(context, appUrl, gateway, options));
  return pages;
}

/** A dev token of a demo user, signed by the gateway. */
export async function tokenFor(gateway: Gateway, name: string, ttlSeconds = 3600): Promise<string> {
  const user = gateway.context.dataset.demoUsers.find((u) => u.name === name);
  if (!user) throw new Error(`no demo user ${name}`);
  return signDemoToken(gateway.auth, user, ttlSeconds);
}

export function guildId(gateway: Gateway, name: string): string {
  const guild = [...gateway.context.dataset.guilds.values()].find((g) => g.name === name);
  if (!guild) throw new Error(`no guild ${name}`);
  return guild.id;
}

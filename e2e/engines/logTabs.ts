import type { Gateway } from "../../demo/gateway/createGateway";
import { guildId, tokenFor } from "../helpers";
import { openClientTabs, until } from "./clientTabs";
import type { EngineBrowser, EngineTab } from "./engine";
import { expect } from "./engineFixture";
import { demoUserId, login, recordLogs, spectate } from "./tabSteps";

/**
 * e2e/logTabs' openLogTabs for every engine: `n` client tabs of one profile, dave (who may see
 * private entries, so every seq reaches him) logged in, Architus Hub spectated with logs, each
 * tab recording the log stream; resolves once every tab's subscription is in the worker.
 */
export async function openLogTabs(
  browser: EngineBrowser,
  appUrl: string,
  gateway: Gateway,
  n: number,
  query: string,
): Promise<{ tabs: EngineTab[]; guild: string; userId: string }> {
  const tabs = await openClientTabs(browser, appUrl, gateway, n, query);
  const guild = guildId(gateway, "Architus Hub");
  const token = await tokenFor(gateway, "dave");
  await login(tabs[0]!, token);
  await spectate(tabs[0]!, guild);
  for (const tab of tabs) await recordLogs(tab, guild);
  await expect.poll(() => gateway.stats().rooms[`guild:${guild}:logs`]).toBe(1);
  await logSubscriptions(tabs[0]!, n);
  return { tabs, guild, userId: demoUserId(gateway, "dave") };
}

/** Waits until the worker counts `n` logs$ subscriptions (every tab's is in before entries flow). */
export const logSubscriptions = (tab: EngineTab, n: number) =>
  until(
    tab,
    (n) =>
      new Promise<boolean>((resolve) => {
        const s = window.clientPage.gateway.diagnostics$.subscribe((d) => {
          resolve(d.subscriptions.logs === n);
          queueMicrotask(() => s.unsubscribe());
        });
      }),
    n,
    { what: `${n} logs$ subscriptions in the worker` },
  );

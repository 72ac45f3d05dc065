import { expect, type Page } from "@playwright/test";
import type { Gateway } from "../../demo/gateway/createGateway";
import type { GatewayClient } from "../../src/client/connectGateway";
import type { GatewayState } from "../../src/redux";

declare global {
  interface Window {
    /** examples/redux: types of the `gateway/login/*` and `gateway/spectate/*` actions seen. */
    __actions: string[];
    /** examples/redux: every console.warn / console.error of the page. */
    __warnings: string[];
    /** examples/redux: the client the binding made. */
    __client: GatewayClient | null;
    /** examples/redux: the store. */
    __store: { getState(): { gateway: GatewayState } };
  }
}

/** The guild's online members as the gateway publishes them (what `online$` shows). */
export function onlineMembers(gateway: Gateway, guild: string): number {
  const record = gateway.context.dataset.guilds.get(guild);
  if (!record) throw new Error(`no guild ${guild}`);
  return [...record.presence.online()].filter(([id]) => record.pools.member.has(id)).length;
}

/** The worker's pool subscriptions over every tab (`diagnostics$`, as this tab sees it). */
export const poolSubscriptions = (tab: Page): Promise<number> =>
  tab.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let done = false;
        const subscription = window.__client?.diagnostics$.subscribe((d) => {
          if (done) return;
          done = true;
          resolve(d.subscriptions.pool ?? 0);
          setTimeout(() => subscription?.unsubscribe());
        });
      }),
  );

/**
 * examples/redux, 3 tabs open (session, channels and 25 log entries checked by the caller): the
 * online members and the logs in every tab's store, the login and spectate lifecycles seen, an
 * unmounted component's worker subscription released, and nothing on the console (Redux
 * Toolkit's serializability and immutability checks, React's warnings).
 */
export async function checkReduxTabs(tabs: Page[], gateway: Gateway, guild: string): Promise<void> {
  const channels = gateway.context.dataset.guilds.get(guild)?.pools.channel.size ?? 0;
  for (const tab of tabs) {
    const store = await tab.evaluate(() => {
      const state = window.__store.getState().gateway;
      return {
        session: state.session?.status,
        pools: Object.fromEntries(Object.entries(state.pools).map(([k, s]) => [k, [s.status, s.ids.length]])),
        logs: Object.values(state.logs).map((l) => l.entries.length),
      };
    });
    expect(store.session).toBe("authenticated");
    expect(store.pools[`channel|${guild}|all`]).toEqual(["ready", channels]);
    expect(store.logs).toEqual([25]);
    const actions = await tab.evaluate(() => window.__actions);
    for (const type of [
      "gateway/login/pending",
      "gateway/login/fulfilled",
      "gateway/spectate/pending",
      "gateway/spectate/fulfilled",
    ])
      expect(actions).toContain(type);
  }

  // One tab unmounts its roles component: after the binding's linger (1 s) the worker holds one
  // pool subscription less, over all tabs.
  const before = await poolSubscriptions(tabs[0]!);
  expect(before).toBeGreaterThanOrEqual(tabs.length * 2);
  await tabs[0]!.locator("#unmount-roles").click();
  await expect(tabs[0]!.locator("#roles")).toHaveCount(0);
  await expect.poll(() => poolSubscriptions(tabs[0]!), { timeout: 10_000 }).toBe(before - 1);
  await expect(tabs[1]!.locator("#roles")).not.toHaveText("…");

  // The online members (PROTOCOL.md Extension 2), in every tab's store.
  const online = onlineMembers(gateway, guild);
  expect(online).toBeGreaterThan(0);
  for (const tab of tabs) await expect(tab.locator("#online")).toHaveText(String(online));

  // Redux Toolkit's own notice that a check took over 32 ms (a busy page's first batches) aside.
  const slowCheck = /^warn: \w+InvariantMiddleware took \d+ms, which is more than the warning threshold/;
  for (const tab of tabs) {
    const warnings = await tab.evaluate(() => window.__warnings);
    expect(warnings.filter((w) => !slowCheck.test(w))).toEqual([]);
  }
}

/** examples/react16, 3 tabs open: the Redux binding's view beside the `./react` hooks' one. */
export async function checkReact16Tabs(tabs: Page[], gateway: Gateway, guild: string): Promise<void> {
  const channels = gateway.context.dataset.guilds.get(guild)?.pools.channel.size ?? 0;
  for (const tab of tabs) {
    await expect(tab.locator("#redux-session")).toHaveText("authenticated");
    await expect(tab.locator("#redux-channels")).toHaveText(String(channels));
    await expect(tab.locator("#redux-logs")).toHaveText("25");
  }
}

/**
 * The online member view (PROTOCOL.md Extension 2) in real Chromium, on the 50,000-member guild:
 * equal to the whole pool filtered by status, under presence churn, across a reload, and said
 * `unsupported` by a gateway without the extension.
 */
import type { Page } from "@playwright/test";
import type { Member, PoolSnapshot, PresenceStatus } from "../src";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";
import { expect, test } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";
import { E2E_SECRET, workerLife } from "./storage";

test.describe.configure({ timeout: 180_000 });

type Snap = PoolSnapshot<Member>;

/** A gateway with the big guild at its full size. */
async function bigGateway(options: { presence?: boolean } = {}): Promise<Gateway> {
  return createGateway({ secret: E2E_SECRET, bigGuildMembers: 50_000, warn: () => {}, ...options });
}

/**
 * Tracks the hub's online view (`online`) and, with `whole`, its whole member pool, then logs bob
 * in and spectates the hub (a page's components subscribe as it loads, while it logs in).
 */
async function watch(tab: Page, gateway: Gateway, whole: boolean): Promise<void> {
  await tab.evaluate(
    async ({ token, hub, whole }) => {
      const gw = window.clientPage.gateway;
      const members = gw.pool("member", { guildId: hub });
      window.clientPage.track("online", members.online$());
      if (whole) window.clientPage.track("all", members.all$());
      await gw.login(token);
      await gw.spectate(hub, { includeLogs: false });
    },
    { token: await tokenFor(gateway, "bob"), hub: guildId(gateway, "Architus Hub"), whole },
  );
}

/**
 * What the tab shows, reduced in the page: the online view's id → status, the same drawn from the
 * whole pool (members whose status is not offline), and the view's status, source and counts.
 */
const shown = (tab: Page) =>
  tab.evaluate(() => {
    const online = window.clientPage.last<Snap>("online");
    const all = window.clientPage.last<Snap>("all");
    const map = (members: Member[]) =>
      Object.fromEntries(
        members.map((m) => [m.id, m.status ?? "absent"]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
      );
    return {
      status: online?.status,
      source: online?.source,
      loaded: online?.loaded,
      total: online?.total,
      error: online?.error ? { code: online.error.code, message: online.error.message } : null,
      online: map(online?.entities ?? []),
      fromAll: all ? map(all.entities.filter((m) => m.status !== "offline")) : null,
      allSize: all?.entities.length ?? 0,
    };
  });

/** The hub's online members as the gateway publishes them, as `shown` sorts them. */
function published(gateway: Gateway): Record<string, PresenceStatus> {
  const record = gateway.context.dataset.guilds.get(guildId(gateway, "Architus Hub"))!;
  return Object.fromEntries([...record.presence.online()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

test("the online view equals the whole pool filtered by status, under 30 s of presence churn, and after a reload", async ({
  browser,
  app,
}) => {
  const gateway = await bigGateway();
  const context = await browser.newContext();
  try {
    const tab = await openTab(context, app.url, gateway);
    await watch(tab, gateway, true);
    await expect.poll(async () => (await shown(tab)).allSize, { timeout: 60_000 }).toBe(50_000);
    await expect.poll(async () => (await shown(tab)).status).toBe("ready");
    const first = await shown(tab);
    expect(first.online).toEqual(published(gateway));
    expect(first.fromAll).toEqual(first.online);
    expect(Object.keys(first.online).length).toBeGreaterThan(4_000);
    expect(new Set(Object.values(first.online))).toEqual(new Set(["online", "idle", "dnd"]));
    expect(first).toMatchObject({ loaded: Object.keys(first.online).length, source: "network" });

    // 30 s of 200 presence changes a second in the hub, flushed once a second.
    const hub = guildId(gateway, "Architus Hub");
    gateway.activity.setPresenceRate(200, hub);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    gateway.activity.setPresenceRate(0);
    // The gateway publishes (and shows) changes when it flushes them: one more change, and the
    // flush that carries it, brings out whatever the churn left pending.
    const topic = `${hub}_presence`;
    const beforeFlush = gateway.context.events.latest(topic);
    await gateway.activity.publish(hub, "presence", 1);
    await expect.poll(() => gateway.context.events.latest(topic)).toBeGreaterThan(beforeFlush);
    const frames = gateway.context.events.latest(topic);
    expect(frames).toBeGreaterThanOrEqual(25);
    // The last flush reaches the tab: the view and the whole pool both say what the gateway publishes.
    await expect.poll(async () => (await shown(tab)).online, { timeout: 10_000 }).toEqual(published(gateway));
    const churned = await shown(tab);
    expect(churned.fromAll).toEqual(churned.online);
    expect(churned.online).not.toEqual(first.online);

    // Every tab goes; presence changes while no worker runs; a new tab comes back from the cache.
    const { workerId } = await tab.evaluate(() => window.clientPage.gateway.ready);
    await expect
      .poll(() =>
        tab.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const s = window.clientPage.gateway.diagnostics$.subscribe((d) => {
                resolve(d.cache.writes);
                queueMicrotask(() => s.unsubscribe());
              });
            }),
        ),
      )
      .toBeGreaterThanOrEqual(2);
    await tab.close();
    await expect.poll(() => gateway.stats().sockets).toBe(0);
    await gateway.activity.publish(hub, "presence", 300);
    await expect.poll(() => gateway.context.events.latest(topic)).toBeGreaterThan(frames);
    const snapshots = gateway.stats().requests.pool_all_request ?? 0;

    const next = await workerLife(context, app.url, gateway, workerId);
    await watch(next, gateway, false);
    await expect
      .poll(async () => (await shown(next)).online, { timeout: 20_000 })
      .toEqual(published(gateway));
    await expect.poll(async () => (await shown(next)).source).toBe("network");
    // Caught up by replaying what it missed (since.presence): no new snapshot was asked for.
    expect(gateway.stats().requests.pool_all_request ?? 0).toBe(snapshots);
  } finally {
    await context.close();
    await gateway.stop();
  }
});

test("on a gateway without presence the online view says unsupported, and never loads the whole pool", async ({
  browser,
  app,
}) => {
  const gateway = await createGateway({ secret: E2E_SECRET, presence: false, warn: () => {} });
  const context = await browser.newContext();
  try {
    const tab = await openTab(context, app.url, gateway);
    await watch(tab, gateway, false);
    await expect.poll(async () => (await shown(tab)).status).toBe("error");
    const view = await shown(tab);
    expect(view.error?.code).toBe("unsupported");
    expect(view.error?.message).toMatch(/no presence/);
    expect(view.online).toEqual({});
    expect(gateway.stats().requests.pool_all_request ?? 0).toBe(0);
    // A guild pool other than members still loads as before: only the view is unsupported.
    const roles = await tab.evaluate(
      async (hub) => {
        const gw = window.clientPage.gateway;
        return new Promise<number>((resolve) => {
          const s = gw
            .pool("role", { guildId: hub })
            .all$()
            .subscribe((snap) => {
              if (snap.status !== "ready") return;
              resolve(snap.entities.length);
              queueMicrotask(() => s.unsubscribe());
            });
        });
      },
      guildId(gateway, "Architus Hub"),
    );
    expect(roles).toBeGreaterThan(0);
  } finally {
    await context.close();
    await gateway.stop();
  }
});

import type { PoolSnapshot } from "../src";
import { expect, test } from "./fixtures";
import { openTab, tokenFor } from "./helpers";

type Snapshot = PoolSnapshot<{ id: string; name: string }>;

/**
 * A tab's calls take effect in the order it made them: from a `login(B)` call on, the tab sees
 * nothing of A, whether or not it awaits the login, and whether or not the pool was on show.
 */
for (const onShow of [true, false])
  test(`login(B) then a pool, not awaited: nothing of A (${onShow ? "pool already on show" : "pool not on show"})`, async ({
    browser,
    gateway,
    app,
  }) => {
    const context = await browser.newContext();
    const tab = await openTab(context, app.url, gateway);
    await tab.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "alice"));
    await tab.evaluate(() =>
      window.clientPage.track("before", window.clientPage.gateway.pool("guild").all$()),
    );
    await tab.waitForFunction(() => window.clientPage.last<Snapshot>("before")?.status === "ready");
    const alice = (
      await tab.evaluate(() => window.clientPage.last<Snapshot>("before")!.entities.map((g) => g.name))
    ).sort();
    if (!onShow) await tab.evaluate(() => window.clientPage.untrack("before"));

    const bobToken = await tokenFor(gateway, "bob");
    await tab.evaluate((t) => {
      const { gateway: client, track } = window.clientPage;
      void client.login(t);
      track("after", client.pool("guild").all$());
    }, bobToken);
    await tab.waitForFunction(() => window.clientPage.last<Snapshot>("after")?.status === "ready");
    const seen = await tab.evaluate(() =>
      (window.clientPage.seen.after as Snapshot[]).map((s) => ({
        status: s.status,
        names: s.entities.map((g) => g.name).sort(),
      })),
    );
    const bob = seen[seen.length - 1]!.names;
    expect(bob).not.toEqual(alice);
    // Not one snapshot shows A's guilds: the first is loading (or B's), the last B's.
    for (const snapshot of seen) expect(snapshot.names).not.toEqual(alice);
    expect(seen[0]!.status === "ready" ? seen[0]!.names : []).toEqual(seen[0]!.status === "ready" ? bob : []);
    await context.close();
  });

test("setTokenRefresher with a string or a number: bad_input, and the tab goes on", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tab = await openTab(context, app.url, gateway);
  const codes = await tab.evaluate(async () => {
    const { gateway: client } = window.clientPage;
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: { code?: unknown; name?: string }) => `${e.name}:${String(e.code)}`,
      );
    return [
      await codeOf(client.setTokenRefresher("x" as never)),
      await codeOf(client.setTokenRefresher(42 as never)),
    ];
  });
  expect(codes).toEqual(["GatewayError:bad_input", "GatewayError:bad_input"]);
  const state = await tab.evaluate(
    async (t) => (await window.clientPage.gateway.login(t)).status,
    await tokenFor(gateway, "bob"),
  );
  expect(state).toBe("authenticated");
  await context.close();
});

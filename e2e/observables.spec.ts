import type { Diagnostics } from "../src";
import { expect, test } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";

test("observables are cold until subscribed, shared within a tab, and release the worker on unsubscribe; entity$", async ({
  browser,
  gateway,
  app,
}) => {
  const context = await browser.newContext();
  const tab = await openTab(context, app.url, gateway);
  const small = guildId(gateway, "Small Talk");
  await tab.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "bob"));
  const role = [...gateway.context.dataset.guilds.get(small)!.pools.role.values()][1]!;
  await tab.evaluate(() => window.clientPage.track("diag", window.clientPage.gateway.diagnostics$));
  const poolSubs = () =>
    tab.evaluate(() => window.clientPage.last<Diagnostics>("diag")?.subscriptions.pool ?? 0);

  // Cold: making the observable asks nothing of the worker.
  await tab.evaluate(
    ({ small, id }) => {
      const w = window as unknown as { obs: unknown };
      w.obs = window.clientPage.gateway.pool("role", { guildId: small }).entity$(id);
    },
    { small, id: role.id },
  );
  await tab.waitForFunction(() => window.clientPage.last<Diagnostics>("diag")?.tabs === 1);
  expect(await poolSubs()).toBe(0);
  expect(gateway.stats().requests.pool_request ?? 0).toBe(0);

  // Two subscribers, one worker subscription, one request.
  await tab.evaluate(() => {
    const obs = (window as unknown as { obs: Parameters<typeof window.clientPage.track>[1] }).obs;
    window.clientPage.track("a", obs);
    window.clientPage.track("b", obs);
  });
  await tab.waitForFunction(() =>
    ["a", "b"].every((n) => window.clientPage.last<{ status: string }>(n)?.status === "ready"),
  );
  expect(await tab.evaluate(() => window.clientPage.last("a"))).toEqual({
    status: "ready",
    entity: role,
    missing: false,
    error: null,
  });
  expect(await tab.evaluate(() => window.clientPage.last("b"))).toEqual(
    await tab.evaluate(() => window.clientPage.last("a")),
  );
  await tab.waitForFunction(() => window.clientPage.last<Diagnostics>("diag")?.subscriptions.pool === 1);
  expect(gateway.stats().requests.pool_request).toBe(1);

  // One leaves: still held. Both leave: released.
  await tab.evaluate(() => window.clientPage.untrack("a"));
  // A later worker change shows in diagnostics only after the unsubscribe was handled.
  await tab.evaluate(() => window.clientPage.track("sess", window.clientPage.gateway.session$));
  await tab.waitForFunction(() => window.clientPage.last<Diagnostics>("diag")?.subscriptions.session === 1);
  expect(await poolSubs()).toBe(1);
  await tab.evaluate(() => window.clientPage.untrack("b"));
  await tab.waitForFunction(() => !window.clientPage.last<Diagnostics>("diag")?.subscriptions.pool);

  // A missing id is reported as missing, not as an error.
  await tab.evaluate(
    (small) =>
      window.clientPage.track(
        "gone",
        window.clientPage.gateway.pool("role", { guildId: small }).entity$("123"),
      ),
    small,
  );
  await tab.waitForFunction(() => window.clientPage.last<{ status: string }>("gone")?.status === "ready");
  expect(await tab.evaluate(() => window.clientPage.last("gone"))).toEqual({
    status: "ready",
    entity: null,
    missing: true,
    error: null,
  });

  // close(): live subscribers are told, calls fail `closed`, the worker lets the tab go.
  await tab.evaluate(() => window.clientPage.gateway.close());
  expect(await tab.evaluate(() => window.clientPage.errors.gone)).toMatchObject({ code: "closed" });
  const after = await tab.evaluate(() =>
    window.clientPage.gateway.interpret({ guild_id: "1", message_id: "2", content: "x" }).then(
      () => null,
      (e: { code: unknown }) => e.code,
    ),
  );
  expect(after).toBe("closed");
  await expect.poll(() => gateway.stats().sockets).toBe(0);
  await context.close();
});

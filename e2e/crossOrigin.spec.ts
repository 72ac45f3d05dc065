/**
 * Origins (issue 8, item 14). What the browser guarantees: a SharedWorker belongs to one origin
 * (its script must be same-origin, and a name is looked up per origin), so a page of another
 * origin can neither start nor reach this one. What is ours to prove: the app served from two
 * origins gets two separate workers, sockets and sessions (a login in one never authenticates
 * the other, whose pools stay empty), and a page that points the library at another origin's
 * worker gets a typed `unsupported`, not a hang.
 */
import type { connectGateway, Diagnostics, PoolSnapshot, SessionState } from "../src";

type ConnectGateway = typeof connectGateway;
import { expect, test } from "./fixtures";
import { guildId, openTab, tokenFor } from "./helpers";

test("two origins: two workers, two sockets, sessions and data never shared; another origin's worker is refused", async ({
  browser,
  gateway,
  app,
}) => {
  const first = app.url;
  const second = app.url.replace("127.0.0.1", "localhost");
  expect(new URL(second).origin).not.toBe(new URL(first).origin);
  const context = await browser.newContext();
  const a = await openTab(context, first, gateway);
  const b = await openTab(context, second, gateway);
  const small = guildId(gateway, "Small Talk");
  for (const tab of [a, b])
    await tab.evaluate((g) => {
      const { gateway: gw, track } = window.clientPage;
      track("session", gw.session$);
      track("diagnostics", gw.diagnostics$);
      track("roles", gw.pool("role", { guildId: g }).all$());
    }, small);
  await a.evaluate((t) => window.clientPage.gateway.login(t), await tokenFor(gateway, "bob"));
  await a.evaluate((g) => window.clientPage.gateway.spectate(g), small);
  await a.waitForFunction(() => window.clientPage.last<PoolSnapshot<unknown>>("roles")?.status === "ready");

  const workerOf = (tab: typeof a) =>
    tab.evaluate(() => window.clientPage.gateway.ready.then((r) => ({ id: r.workerId, shared: r.shared })));
  const [wa, wb] = [await workerOf(a), await workerOf(b)];
  expect(wa.shared && wb.shared).toBe(true);
  expect(wa.id).not.toBe(wb.id);
  await expect.poll(() => gateway.stats().sockets).toBe(2);
  for (const tab of [a, b])
    await tab.waitForFunction(() => window.clientPage.last<Diagnostics>("diagnostics")?.tabs === 1);

  // The other origin saw no login and no data: still anonymous, its pool waiting for a login.
  const sessions = await b.evaluate(() =>
    (window.clientPage.seen.session as SessionState[]).map((s) => s.status),
  );
  expect(sessions).toEqual(["anonymous"]);
  const roles = await b.evaluate(() => window.clientPage.seen.roles as PoolSnapshot<unknown>[]);
  expect(roles.every((r) => r.entities.length === 0 && r.status === "waiting")).toBe(true);
  expect(
    await b.evaluate(() => window.clientPage.last<Diagnostics>("diagnostics")?.spectating.guildId),
  ).toBeNull();

  // The browser's part: another origin's worker script cannot be started from here…
  const workerUrl = await a.evaluate(() => new URL("/worker/sharedWorker.ts", location.href).href);
  const direct = await b.evaluate((url) => {
    try {
      new SharedWorker(url, { type: "module" });
      return "started";
    } catch (e) {
      return (e as Error).name;
    }
  }, workerUrl);
  expect(direct).toBe("SecurityError");
  // …and the library says so with a typed error when pointed at it.
  const viaLibrary = await b.evaluate(
    async ({ url, gatewayUrl, modulePath }) => {
      const library = (await import(modulePath)) as { connectGateway: ConnectGateway };
      try {
        const client = library.connectGateway({
          url: gatewayUrl,
          worker: (shared: boolean) =>
            shared ? new SharedWorker(url, { type: "module" }) : new Worker(url, { type: "module" }),
        });
        await client.ready;
        return "ready";
      } catch (e) {
        return String((e as { code?: unknown }).code);
      }
    },
    { url: workerUrl, gatewayUrl: gateway.url, modulePath: "/src/index.ts" },
  );
  expect(viaLibrary).toBe("unsupported");
  await context.close();
});

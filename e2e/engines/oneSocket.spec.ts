import { hello, openClientTabs, until, workerLocks } from "./clientTabs";
import { engineProject, expect, modeQuery, test } from "./engineFixture";
import { engineFigure } from "./figures";
import { diagnosticsOf, ping } from "./tabSteps";

test("3 tabs share 1 socket and 1 worker", async ({ engine, gateway, app }) => {
  const tabs = await openClientTabs(engine, app.url, gateway, 3, modeQuery());
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  const hellos = await Promise.all(tabs.map(hello));
  expect(hellos.map((h) => h.mode)).toEqual(Array(3).fill(engineProject().mode));
  expect(new Set(hellos.map((h) => h.workerId)).size).toBe(1);
  // One worker alive in the origin: one worker lifetime lock (every tab sees the same).
  for (const tab of tabs)
    expect(await workerLocks(tab)).toEqual([`archit-gateway-worker-${hellos[0]!.workerId}`]);
  expect((await diagnosticsOf(tabs[2]!)).tabs).toBe(3);
  for (const tab of tabs) expect(await ping(tab)).toBeGreaterThan(0);
});

test("the first tab closes: the other two carry on over 1 socket", async ({ engine, gateway, app }) => {
  const tabs = await openClientTabs(engine, app.url, gateway, 3, modeQuery());
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  const first = await hello(tabs[0]!);
  const closedAt = Date.now();
  await tabs[0]!.close();
  // The rest count 2 tabs, a connected worker (in leader mode: led by another tab).
  const leader = engineProject().mode === "leader" ? first.tabId : null;
  for (const tab of tabs.slice(1))
    await until(
      tab,
      (old) =>
        new Promise<boolean>((resolve) => {
          const s = window.clientPage.gateway.diagnostics$.subscribe((d) => {
            resolve(
              d.tabs === 2 && d.connection.status === "connected" && (old === null || d.leaderTabId !== old),
            );
            queueMicrotask(() => s.unsubscribe());
          });
        }),
      leader,
      { what: "2 tabs on a connected worker" },
    );
  const settled = Date.now() - closedAt;
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  for (const tab of tabs.slice(1)) expect(await ping(tab)).toBeGreaterThan(0);
  const after = await diagnosticsOf(tabs[1]!);
  engineFigure(
    "first-tab-closes",
    engineProject().mode === "leader"
      ? `leader tab closed: the next tab led, connected, the others counted 2 tabs, in ${settled} ms (polled every 50 ms)`
      : `the worker's creating tab closed: the others counted 2 tabs in ${settled} ms; worker ${after.workerId === first.workerId ? "kept" : "restarted"}`,
    { settledMs: settled, workerKept: after.workerId === first.workerId ? 1 : 0 },
  );
});

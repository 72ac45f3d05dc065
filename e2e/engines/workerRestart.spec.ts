/**
 * The tab that created the SharedWorker closes while log entries flow: the other tabs carry on
 * with nothing lost. Then Safari's bug, simulated (the worker silently restarts when its creating
 * tab closes): the creating tab closes and, at the same moment, the worker ends itself from
 * inside (e2e/pages/closableWorker.ts); the other tabs notice, start a new worker and get their
 * session, pools and log stream back, every seq exactly once across the restart.
 */
import { guildId } from "../helpers";
import { until } from "./clientTabs";
import type { EngineTab } from "./engine";
import { expect, test } from "./engineFixture";
import { engineFigure } from "./figures";
import { openLogTabs } from "./logTabs";
import { startPublishing } from "./publisher";
import { diagnosticsOf, logDelivery, ping, poolReady, trackPool, trackSession } from "./tabSteps";

const RATE = 200;

/** Waits until the tab's worker is another than `old`, connected, its session `userId`'s and its pool ready. */
const recovered = (tab: EngineTab, old: string, userId: string) =>
  until(
    tab,
    () =>
      new Promise<{
        workerId: string;
        connection: string;
        session: string;
        user: string | null;
        roles: string;
        errors: string;
      }>((resolve) => {
        const { gateway, last, errors } = window.clientPage;
        const state = (workerId: string, connection: string) => {
          const session = last<{ status: string; userId?: string }>("session");
          resolve({
            workerId,
            connection,
            session: session?.status ?? "none",
            user: session?.userId ?? null,
            roles: last<{ status: string }>("roles")?.status ?? "none",
            errors: JSON.stringify(errors),
          });
        };
        const s = gateway.diagnostics$.subscribe({
          next: (d) => {
            state(d.workerId, d.connection.status);
            queueMicrotask(() => s.unsubscribe());
          },
          error: (e: Error) => state("none", `diagnostics$ errored: ${e.message}`),
        });
      }),
    undefined,
    {
      timeout: 15_000,
      what: "a new worker, connected, the session and the pool back",
      accept: (s) =>
        s.workerId !== old &&
        s.connection === "connected" &&
        s.session === "authenticated" &&
        s.user === userId &&
        s.roles === "ready",
    },
  );

for (const endWorker of [false, true])
  test(
    endWorker
      ? "Safari's restart: the creating tab closes and the worker ends with it; the others recover session, pools and logs, 0 lost"
      : "the creating tab closes under load: the others carry on, 0 lost",
    async ({ engine, gateway, app }) => {
      const { tabs, guild, userId } = await openLogTabs(
        engine,
        app.url,
        gateway,
        3,
        `&mode=shared&firstDelay=300${endWorker ? "&closableWorker=1" : ""}`,
      );
      expect(guild).toBe(guildId(gateway, "Architus Hub"));
      const roles = [...gateway.context.dataset.guilds.get(guild)!.pools.role.keys()].sort();
      for (const tab of tabs) {
        await trackSession(tab);
        await trackPool(tab, "roles", "role", guild);
        await tab.run(() => window.clientPage.track("connection", window.clientPage.gateway.connection$));
        expect(await poolReady(tab, "roles")).toEqual(roles);
      }
      const before = (await diagnosticsOf(tabs[1]!)).workerId;
      const topic = `${guild}_logs`;
      const from = gateway.context.events.latest(topic) + 1;
      const publishing = startPublishing(gateway, guild, RATE);
      await expect.poll(() => gateway.context.events.latest(topic)).toBeGreaterThan(from + RATE / 2);

      const endedAt = Date.now();
      const endSeq = gateway.context.events.latest(topic);
      await Promise.all([
        tabs[0]!.close(),
        endWorker
          ? tabs[1]!.run(() => new BroadcastChannel("e2e-end-worker").postMessage("end"))
          : Promise.resolve(),
      ]);
      const rest = tabs.slice(1);
      let noticedMs: number | null = null;
      if (endWorker) {
        // Every other tab sees its worker end, then a new one with the session and pool back.
        for (const tab of rest)
          await until(tab, () =>
            (window.clientPage.seen.connection as { lastError: string | null }[]).some(
              (c) => c.lastError === "the worker ended",
            ),
          );
        noticedMs = Date.now() - endedAt;
        for (const tab of rest) await recovered(tab, before, userId);
      }
      const recoveredMs = Date.now() - endedAt;
      // Published on through the restart: a second more, then every seq in every remaining tab.
      await expect.poll(() => gateway.context.events.latest(topic)).toBeGreaterThan(endSeq + RATE);
      await publishing.stop();
      const to = gateway.context.events.latest(topic);
      const backAfter: number[] = [];
      for (const tab of rest) {
        const delivery = await logDelivery(tab, from, to, { firstOf: [endSeq + 1] });
        expect({ lost: delivery.lost, duplicated: delivery.duplicated }).toEqual({ lost: 0, duplicated: 0 });
        backAfter.push(delivery.arrivals[0]! - endedAt);
      }
      await expect.poll(() => gateway.stats().sockets).toBe(1);
      const after = await diagnosticsOf(rest[0]!);
      expect(after.tabs).toBe(2);
      // The pool as the gateway has it now (the pool updates published meanwhile included).
      const rolesNow = [...gateway.context.dataset.guilds.get(guild)!.pools.role.keys()].sort();
      for (const tab of rest) {
        await expect.poll(() => poolReady(tab, "roles")).toEqual(rolesNow);
        expect(await ping(tab)).toBeGreaterThan(0);
        expect(await tab.run(() => window.clientPage.errors)).toEqual({});
      }
      // What session$ went through in each remaining tab (statuses in a row, repeats merged).
      const statuses = await Promise.all(
        rest.map((tab) =>
          tab.run(() =>
            (window.clientPage.seen.session as { status: string }[])
              .map((s) => s.status)
              .filter((status, i, all) => status !== all[i - 1])
              .join(">"),
          ),
        ),
      );
      engineFigure(
        endWorker ? "worker-restart" : "creating-tab-closes",
        endWorker
          ? `the worker ended with its creating tab: the 2 other tabs noticed within ${noticedMs} ms, had a new worker with session and pool in ${recoveredMs} ms, the first entry published after the end in ${Math.max(...backAfter)} ms; 0 lost, 0 duplicated of ${to - from + 1} entries at ${RATE}/s; session$: ${statuses.join(", ")}`
          : `the creating tab closed at ${RATE} entries/s: worker ${after.workerId === before ? "kept" : "restarted"}; 0 lost, 0 duplicated of ${to - from + 1} entries in the 2 other tabs; the first entry after the close arrived in ${Math.max(...backAfter)} ms`,
        {
          noticedMs: noticedMs ?? 0,
          recoveredMs,
          firstEntryAfterMs: Math.max(...backAfter),
          lost: 0,
          duplicated: 0,
          workerKept: after.workerId === before ? 1 : 0,
        },
      );
      if (!endWorker) expect(after.workerId).toBe(before);
    },
  );

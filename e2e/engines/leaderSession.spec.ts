/**
 * Leader mode: the session survives the leader tab leaving. The first tab (the leader) is the
 * only one that logged in (no token refresher); it closes under load, the next tab leads, and
 * the others stay authenticated with their pool and every log seq exactly once.
 */
import type { Diagnostics, SessionState } from "../../src";
import { hello, until } from "./clientTabs";
import type { EngineTab } from "./engine";
import { expect, modeQuery, test } from "./engineFixture";
import { engineFigure } from "./figures";
import { openLogTabs } from "./logTabs";
import { startPublishing } from "./publisher";
import { logDelivery, poolReady, trackPool, trackSession } from "./tabSteps";

const RATE = 200;

/** The tab's worker led by another tab than `previous`, connected, and its session `userId`'s. */
const nextLeader = (tab: EngineTab, previous: string, userId: string) =>
  until(
    tab,
    () => {
      const d = window.clientPage.last<Diagnostics>("diagnostics");
      const s = window.clientPage.last<SessionState>("session");
      return {
        leader: d?.leaderTabId ?? null,
        connection: d?.connection.status ?? "none",
        session: s?.status ?? "none",
        user: s && "userId" in s ? s.userId : null,
      };
    },
    undefined,
    {
      what: "another leader, connected, the session kept",
      accept: (d) =>
        d.leader !== null &&
        d.leader !== previous &&
        d.connection === "connected" &&
        d.session === "authenticated" &&
        d.user === userId,
    },
  );

test("the leader, the only tab that logged in, closes: the others keep the session, the pool and every seq once", async ({
  engine,
  gateway,
  app,
}) => {
  const { tabs, guild, userId } = await openLogTabs(
    engine,
    app.url,
    gateway,
    3,
    `${modeQuery()}&firstDelay=300`,
  );
  const leader = await hello(tabs[0]!);
  for (const tab of tabs) {
    await tab.run(() => {
      const { gateway: gw, track } = window.clientPage;
      track("diagnostics", gw.diagnostics$);
    });
    await trackSession(tab);
    await trackPool(tab, "roles", "role", guild);
    await poolReady(tab, "roles");
  }
  await until(
    tabs[2]!,
    () => window.clientPage.last<Diagnostics>("diagnostics")?.leaderTabId ?? null,
    undefined,
    {
      accept: (id) => id === leader.tabId,
      what: "the first tab leads",
    },
  );
  const topic = `${guild}_logs`;
  const from = gateway.context.events.latest(topic) + 1;
  const publishing = startPublishing(gateway, guild, RATE);
  await expect.poll(() => gateway.context.events.latest(topic)).toBeGreaterThan(from + RATE / 2);

  const closedAt = Date.now();
  await tabs[0]!.close();
  const rest = tabs.slice(1);
  for (const tab of rest) await nextLeader(tab, leader.tabId, userId);
  const handoverMs = Date.now() - closedAt;
  await expect.poll(() => gateway.stats().sockets).toBe(1);
  const endSeq = gateway.context.events.latest(topic);
  await expect.poll(() => gateway.context.events.latest(topic)).toBeGreaterThan(endSeq + RATE / 2);
  await publishing.stop();
  const to = gateway.context.events.latest(topic);
  for (const tab of rest) {
    const delivery = await logDelivery(tab, from, to);
    expect({ lost: delivery.lost, duplicated: delivery.duplicated }).toEqual({ lost: 0, duplicated: 0 });
    const rolesNow = [...gateway.context.dataset.guilds.get(guild)!.pools.role.keys()].sort();
    await expect.poll(() => poolReady(tab, "roles")).toEqual(rolesNow);
  }
  // What session$ went through in each remaining tab (statuses in a row, repeats merged).
  const statuses = await Promise.all(
    rest.map((tab) =>
      tab.run(() =>
        (window.clientPage.seen.session as SessionState[])
          .map((s) => s.status)
          .filter((status, i, all) => status !== all[i - 1])
          .join(">"),
      ),
    ),
  );
  engineFigure(
    "leader-session",
    `the leader (the only tab logged in) closed at ${RATE} entries/s: the next led, connected and authenticated in ${handoverMs} ms; 0 lost, 0 duplicated of ${to - from + 1} entries; session$ in the other tabs: ${statuses.join(", ")}`,
    { handoverMs, lost: 0, duplicated: 0 },
  );
});

/**
 * Issue 11 in a browser: tabs of the client page reach a 3-node cluster through its balancer
 * (HAProxy, WebSocket), logs flow at 1,000 entries/s into the spectated guild, and the node that
 * holds the tabs' one socket is SIGKILLed, twice. The worker reconnects through the same URL to
 * a live node and spectates with `since`: every tab must have every seq exactly once, no gap.
 */
import type { Page } from "@playwright/test";
import {
  guildId,
  startClusterHarness,
  token,
  type ClusterHarness,
} from "../demo/cluster/test/clusterHarness";
import type { LogBatch } from "../src";
import { recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { openTab } from "./helpers";

test.describe.configure({ timeout: 240_000 });

const TABS = 3;
const RATE = 1000;

/** Publishes `RATE` entries a second into `guild` (every 50 ms) until stopped; rejects on a failed publish. */
function publishing(h: ClusterHarness, guild: string): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    const start = Date.now();
    let sent = 0;
    while (running) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE) - sent;
      if (due > 0) {
        await h.publish(guild, "message", due);
        sent += due;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const seqsOf = (tab: Page) =>
  tab.evaluate(() => (window.clientPage.seen.logs as LogBatch[]).flatMap((batch) => batch.map((e) => e.seq)));

test("the node of the tabs' socket is killed twice at 1,000 entries/s: every tab has every seq exactly once", async ({
  browser,
  app,
}) => {
  const h = await startClusterHarness("e2e-failover");
  const context = await browser.newContext();
  let publisher: { stop(): Promise<void> } | null = null;
  try {
    const tabs: Page[] = [];
    for (let i = 0; i < TABS; i++)
      tabs.push(await openTab(context, app.url, h.cluster, { firstDelayMs: 200 }));
    const hub = guildId("Architus Hub");
    await tabs[0]!.evaluate((t) => window.clientPage.gateway.login(t), await token("dave"));
    await tabs[0]!.evaluate((g) => window.clientPage.gateway.spectate(g), hub);
    for (const tab of tabs)
      await tab.evaluate((g) => window.clientPage.track("logs", window.clientPage.gateway.logs$(g)), hub);

    const latest = () => h.latestLogs(hub);
    const alive = h.cluster.nodes.map((_, i) => i);
    /** Waits until one live node, other than `not`, holds the tabs' one socket (their shared worker's); returns it. */
    const socketNode = async (not?: number) => {
      let node: number | undefined;
      await expect
        .poll(
          async () => {
            const counts = await Promise.all(
              alive.map(async (i) => (await h.stats(h.cluster.nodes[i]!.url)).sockets),
            );
            const i = counts.indexOf(1);
            node = counts.reduce((x, y) => x + y, 0) === 1 && i >= 0 ? alive[i] : undefined;
            return node !== undefined && node !== not;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      return node!;
    };
    const allPast = (seq: number) =>
      Promise.all(
        tabs.map((tab) =>
          expect
            .poll(async () => Math.max(0, ...(await seqsOf(tab))), { timeout: 30_000 })
            .toBeGreaterThan(seq),
        ),
      );

    publisher = publishing(h, hub);
    // Half a second of load before the first kill.
    await allPast(RATE / 2);
    const kills: { node: number; at: number; backMs: number }[] = [];
    for (let round = 0; round < 2; round++) {
      const victim = await socketNode();
      alive.splice(alive.indexOf(victim), 1);
      const at = await latest();
      const killedAt = Date.now();
      h.cluster.nodes[victim]!.child.kill("SIGKILL");
      // Back on a live node, and entries published after the kill reach every tab.
      await socketNode(victim);
      const backMs = Date.now() - killedAt;
      await allPast(at + RATE / 2);
      kills.push({ node: victim + 1, at, backMs });
    }
    await publisher.stop();
    publisher = null;
    const last = await latest();
    await allPast(last - 1);

    for (const tab of tabs) {
      const seqs = await seqsOf(tab);
      const first = seqs[0]!;
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(Array.from({ length: last - first + 1 }, (_, k) => first + k));
      const gaps = await tab.evaluate(() => (window.clientPage.seen.logs as LogBatch[]).filter((b) => b.gap));
      expect(gaps).toEqual([]);
      expect(await tab.evaluate(() => window.clientPage.errors.logs)).toBeUndefined();
    }
    const total = (await Promise.all(tabs.map(seqsOf))).reduce((sum, s) => sum + s.length, 0);
    recordFigure("clusterFailover", {
      fault: `cluster of 3 nodes behind HAProxy, ${TABS} tabs at ${RATE} entries/s: the socket's node SIGKILLed twice`,
      figure: `${kills.map((k) => `node ${k.node} killed at seq ${k.at}, socket on a live node after ${k.backMs} ms`).join("; ")}; ${total} entries delivered, 0 lost, 0 duplicated, no gap`,
      target: "every tab has every seq exactly once",
      met: true,
    });
  } finally {
    await publisher?.stop().catch(() => {});
    await context.close();
    await h.stop();
  }
});

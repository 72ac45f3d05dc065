/**
 * e2e/drops.spec's connection drops under load in every engine (and mode): 3 tabs on one guild's
 * logs while the gateway drops the socket again and again; every tab must end with every seq
 * exactly once, whichever order the gateway replays in.
 */
import { percentile } from "../../bench/stats";
import { dropSockets } from "../../demo/gateway/context";
import { engineProject, expect, modeQuery, test } from "./engineFixture";
import { engineFigure } from "./figures";
import { openLogTabs } from "./logTabs";
import { logDelivery } from "./tabSteps";

const RATE = 300;
const DROPS = 3;

for (const replayBeforeAnswer of [false, true])
  test(`${DROPS} drops at ${RATE} entries/s, replay ${replayBeforeAnswer ? "before" : "after"} the answer: every tab has every seq once`, async ({
    engine,
    gateway,
    app,
  }) => {
    gateway.context.faults.replayBeforeAnswer = replayBeforeAnswer;
    // The first reconnection within 300 ms (as drops.spec asks), so a drop never outruns history.
    const { tabs, guild } = await openLogTabs(engine, app.url, gateway, 3, `${modeQuery()}&firstDelay=300`);
    const topic = `${guild}_logs`;
    const from = gateway.context.events.latest(topic) + 1;
    const drops: { at: number; seq: number }[] = [];
    const start = Date.now();
    let published = 0;
    while (Date.now() - start < (DROPS + 1) * 1000 || drops.length < DROPS) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE) - published;
      if (due > 0) {
        published += await gateway.activity.publish(guild, "message", due);
        if (Math.random() < 0.2) await gateway.activity.publish(guild, "pool_update", 1);
      }
      // A drop about every second, once the worker is back and spectating with logs again.
      if (
        drops.length < DROPS &&
        Date.now() - start > (drops.length + 0.5) * 1000 &&
        gateway.stats().rooms[`guild:${guild}:logs`] === 1
      ) {
        const at = Date.now();
        const seq = gateway.context.events.latest(topic);
        if (dropSockets(gateway.context) === 1) drops.push({ at, seq });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const to = gateway.context.events.latest(topic);
    expect(drops).toHaveLength(DROPS);
    const recoveries: number[] = [];
    for (const tab of tabs) {
      const delivery = await logDelivery(tab, from, to, { firstOf: drops.map((d) => d.seq + 1) });
      expect({ lost: delivery.lost, duplicated: delivery.duplicated }).toEqual({ lost: 0, duplicated: 0 });
      delivery.arrivals.forEach((at, i) => at !== null && recoveries.push(at - drops[i]!.at));
    }
    await expect.poll(() => gateway.stats().sockets).toBe(1);
    engineFigure(
      `drops-${replayBeforeAnswer ? "replay-first" : "answer-first"}`,
      `${DROPS} drops at ${RATE} entries/s (${engineProject().mode} mode, 3 tabs): 0 lost, 0 duplicated of ${to - from + 1} entries per tab; back after a drop in p50 ${percentile(recoveries, 50)} ms, max ${Math.max(...recoveries)} ms`,
      { entries: to - from + 1, lost: 0, duplicated: 0, recoveryP50Ms: percentile(recoveries, 50) },
    );
  });

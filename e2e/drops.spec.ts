/**
 * Connection drops under load (issue 8, item 1), in real Chromium: 3 tabs subscribed to one
 * guild's logs while the gateway drops every socket again and again; every tab must end with
 * every seq exactly once, whichever order the gateway replays in.
 */
import { dropSockets } from "../demo/gateway/context";
import { delivery, percentile } from "../bench/stats";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { arrivalsOf, openLogTabs } from "./logTabs";

const RATE = FULL ? 1000 : 300;
const DROPS = FULL ? 10 : 3;

for (const replayBeforeAnswer of [false, true])
  test(`${DROPS} drops at ${RATE} entries/s, replay ${replayBeforeAnswer ? "before" : "after"} the answer: every tab has every seq once`, async ({
    browser,
    gateway,
    app,
  }) => {
    test.setTimeout(120_000);
    gateway.context.faults.replayBeforeAnswer = replayBeforeAnswer;
    // At 1,000 entries/s the gateway's 1,000-event history covers about a second: the app asks
    // for a first reconnection within 300 ms (the default spreads it over 1 s, which a slow draw
    // could outrun; that is reported as a typed `history_lost` gap, not lost silently).
    const {
      context,
      tabs,
      guild: hub,
    } = await openLogTabs(browser, app.url, gateway, 3, {
      firstDelayMs: 300,
    });

    const topic = `${hub}_logs`;
    const from = gateway.context.events.latest(topic) + 1;
    const drops: { at: number; seq: number }[] = [];
    const start = Date.now();
    const seconds = DROPS + 1;
    let published = 0;
    while (Date.now() - start < seconds * 1000 || drops.length < DROPS) {
      const due = Math.floor(((Date.now() - start) / 1000) * RATE) - published;
      if (due > 0) {
        published += await gateway.activity.publish(hub, "message", due);
        if (Math.random() < 0.2) await gateway.activity.publish(hub, "pool_update", 1);
      }
      // A drop about every second, once the worker is back and spectating with logs again
      // (reconnections are jittered up to 1 s; at 1,000 entries/s two drops inside one reconnect
      // would outrun the gateway's 1,000-event history, which the stream reports as a typed
      // `history_lost` gap): only drops that cut a connection count.
      if (
        drops.length < DROPS &&
        Date.now() - start > (drops.length + 0.5) * 1000 &&
        gateway.stats().rooms[`guild:${hub}:logs`] === 1
      ) {
        const at = Date.now();
        const seq = gateway.context.events.latest(topic);
        if (dropSockets(gateway.context) === 1) drops.push({ at, seq });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const to = gateway.context.events.latest(topic);
    const recoveries: number[] = [];
    for (const tab of tabs) {
      const arrivals = await arrivalsOf(tab, to - from + 1).catch(async (error: unknown) => {
        // Say what the worker saw before failing: which seqs are missing, and its counters.
        const got = new Set((await tab.evaluate(() => window.arrivals!)).map(([s]) => s));
        const missing: number[] = [];
        for (let s = from; s <= to && missing.length < 20; s++) if (!got.has(s)) missing.push(s);
        const counters = await tab.evaluate(
          () =>
            new Promise((resolve) => {
              const sub = window.clientPage.gateway.diagnostics$.subscribe((d) => {
                resolve(d.counters);
                queueMicrotask(() => sub.unsubscribe());
              });
            }),
        );
        console.log(
          `missing ${JSON.stringify(missing)}; drops ${JSON.stringify(drops)}; counters ${JSON.stringify(counters)}`,
        );
        throw error;
      });
      const seqs = arrivals.map(([s]) => s).filter((s) => s >= from && s <= to);
      expect(delivery(seqs, from, to)).toEqual({ lost: 0, duplicated: 0 });
      // Back after a drop: the first entry published after it has arrived (replayed on the new
      // socket), measured from the drop.
      const arrival = new Map(arrivals.map(([s, at]) => [s, at]));
      for (const drop of drops) {
        const first = arrival.get(drop.seq + 1);
        if (first !== undefined) recoveries.push(first - drop.at);
      }
    }
    expect(drops).toHaveLength(DROPS);
    recordFigure(`drops-${replayBeforeAnswer ? "replay-first" : "answer-first"}`, {
      fault: `connection drops under load (${DROPS} drops, ${RATE} entries/s, 3 tabs, replay ${replayBeforeAnswer ? "before" : "after"} the answer)`,
      figure: `0 lost, 0 duplicated of ${to - from + 1} entries per tab; back after a drop (first missed entry in the tab) in p50 ${percentile(recoveries, 50)} ms, max ${Math.max(...recoveries)} ms`,
      target: "0 lost, 0 duplicated",
      met: true,
    });
    await context.close();
  });

/**
 * One tab's main thread blocked while logs flow (issue 8, item 7): the other tabs keep
 * their pace, and the blocked tab gets every entry once it runs again. Latencies are printed,
 * not asserted (the machine is shared); what is asserted is that nothing is lost or duplicated.
 */
import { delivery, percentile } from "../bench/stats";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { arrivalsOf, openLogTabs } from "./logTabs";

const RATE = FULL ? 5000 : 2000;
const BLOCK_MS = FULL ? 5000 : 3000;
const SECONDS = BLOCK_MS / 1000 + 3;

test(`a tab blocked for ${BLOCK_MS / 1000} s at ${RATE} entries/s: the others keep their pace, it gets every entry afterwards`, async ({
  browser,
  gateway,
  app,
}) => {
  test.setTimeout(90_000);
  const { context, tabs, guild: hub } = await openLogTabs(browser, app.url, gateway, 3);

  const topic = `${hub}_logs`;
  const from = gateway.context.events.latest(topic) + 1;
  const start = Date.now();
  let published = 0;
  let blocked: Promise<unknown> | null = null;
  while (Date.now() - start < SECONDS * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * RATE) - published;
    if (due > 0) published += await gateway.activity.publish(hub, "message", due);
    if (!blocked && Date.now() - start > 2000)
      blocked = tabs[2]!.evaluate((ms) => {
        const until = Date.now() + ms;
        while (Date.now() < until);
      }, BLOCK_MS);
    await new Promise((r) => setTimeout(r, 10));
  }
  const blockStart = start + 2000;
  const to = gateway.context.events.latest(topic);
  await blocked;
  const figures: string[] = [];
  const others: [before: number, during: number][] = [];
  for (const [i, tab] of tabs.entries()) {
    const got = (await arrivalsOf(tab, to - from + 1))
      .filter(([seq]) => seq >= from && seq <= to)
      .map(([seq, at, emittedAt]) => ({ seq, at, latency: at - emittedAt }));
    expect(
      delivery(
        got.map((r) => r.seq),
        from,
        to,
      ),
    ).toEqual({ lost: 0, duplicated: 0 });
    const before = got.filter((r) => r.at < blockStart).map((r) => r.latency);
    const during = got
      .filter((r) => r.at >= blockStart && r.at < blockStart + BLOCK_MS)
      .map((r) => r.latency);
    if (i !== 2) others.push([percentile(before, 99), percentile(during, 99)]);
    figures.push(
      `tab ${i}${i === 2 ? " (blocked)" : ""}: p99 before ${percentile(before, 99)} ms, during ${percentile(during, 99)} ms, max ${Math.max(...got.map((r) => r.latency))} ms`,
    );
  }
  recordFigure("slow-tab", {
    fault: `slow tab (main thread blocked ${BLOCK_MS / 1000} s, ${RATE} entries/s, 3 tabs)`,
    figure: `${figures.join("; ")}; 0 lost, 0 duplicated in every tab`,
    target: "others' p99 within 2× of before; the blocked tab catches up",
    met: others.every(([b, d]) => d <= 2 * b),
  });
  await context.close();
});

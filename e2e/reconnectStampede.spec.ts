/**
 * A gateway restart does not bring every worker back at the same instant: reconnections use
 * exponential backoff with full jitter (reduced here to 10 browser profiles).
 */
import { createGateway } from "../demo/gateway/createGateway";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { openTab } from "./helpers";
import { E2E_SECRET } from "./storage";

const PROFILES = FULL ? 30 : 10;
/** The most reconnections one 100 ms window may hold: a third at full size, 6 of 10 reduced. */
const CROWD = FULL ? Math.floor(PROFILES / 3) : 6;

test(`${PROFILES} browser profiles whose gateway restarts come back spread out, each within the cap`, async ({
  browser,
  gateway,
  app,
}) => {
  test.setTimeout(120_000);
  const contexts = await Promise.all(Array.from({ length: PROFILES }, () => browser.newContext()));
  for (const context of contexts) await openTab(context, app.url, gateway);
  await expect.poll(() => gateway.stats().sockets).toBe(PROFILES);

  const port = gateway.port;
  await gateway.stop();
  const down = Date.now();
  const back = await createGateway({ port, secret: E2E_SECRET, bigGuildMembers: 5000, warn: () => {} });
  const arrivals: number[] = [];
  back.context.io.on("connection", () => arrivals.push(Date.now() - down));
  try {
    await expect.poll(() => back.stats().sockets, { timeout: 35_000 }).toBe(PROFILES);
    arrivals.sort((a, b) => a - b);
    console.log(`reconnections after the restart (ms): ${arrivals.join(", ")}`);
    // Each within the cap (30 s by default).
    expect(arrivals[arrivals.length - 1]!).toBeLessThan(30_000);
    // Spread: not all together; no 100 ms window holds more than CROWD of them.
    expect(arrivals[arrivals.length - 1]! - arrivals[0]!).toBeGreaterThan(300);
    const crowd = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 100).length));
    recordFigure("stampede", {
      fault: `reconnect without a stampede (${PROFILES} browser profiles, gateway restarted)`,
      figure: `back within ${arrivals[arrivals.length - 1]} ms (first after ${arrivals[0]} ms); at most ${crowd} in any 100 ms window`,
      target: `≤ ${CROWD} per 100 ms window, each within 30 s`,
      met: crowd <= CROWD,
    });
    expect(crowd).toBeLessThanOrEqual(CROWD);
  } finally {
    for (const context of contexts) await context.close();
    await back.stop();
  }
});

/**
 * Leader mode with the leader tab hidden (issue 9). Playwright keeps every page it drives
 * visible and unthrottled, so this test runs its own Chromium (bench/rawBrowser), where a tab
 * behind another tab of its window is hidden and its timers are throttled as in a user's browser.
 */
import { launchRawChromium } from "../bench/rawBrowser";
import { openHiddenLeaderTabs, recordPhase, timerRate } from "../bench/hiddenLeader";
import { produceInProcess } from "../bench/producer";
import { FULL, recordFigure } from "./figures";
import { expect, test } from "./fixtures";
import { guildId, tokenFor } from "./helpers";

const HIDDEN_SECONDS = FULL ? 360 : 8;

test("a hidden, throttled leader tab serves its follower every seq once; when it closes, the follower leads", async ({
  gateway,
  app,
}) => {
  test.setTimeout((HIDDEN_SECONDS + 120) * 1000);
  const raw = await launchRawChromium();
  try {
    const guild = guildId(gateway, "Architus Hub");
    const token = await tokenFor(gateway, "dave");
    const produce = (g: string, rate: number, seconds: number) => produceInProcess(gateway, g, rate, seconds);
    const { leader, blank, follower } = await openHiddenLeaderTabs(raw, app.url, gateway, token, guild);
    await blank.activate();
    expect(await leader.evaluate<string>("document.visibilityState")).toBe("hidden");
    expect(await follower.evaluate<string>("document.visibilityState")).toBe("visible");
    // The browser throttles the leader's page (a chained 10 ms timer runs about once a second),
    // not the follower's.
    const leaderTimers = await timerRate(leader);
    expect(leaderTimers).toBeLessThan(10);
    expect(await timerRate(follower)).toBeGreaterThan(20);

    const phase = await recordPhase(produce, guild, [leader, follower], 1000, HIDDEN_SECONDS);
    const [own, served] = phase.tabs;
    expect(served).toMatchObject({ lost: 0, duplicated: 0 });
    expect(own).toMatchObject({ lost: 0, duplicated: 0 });
    expect(await leader.evaluate<string>("document.visibilityState")).toBe("hidden");
    const timersAfter = await timerRate(leader);

    // The hidden leader closes: the follower leads, on one socket, and its stream goes on.
    const old = await leader.evaluate<string>("window.bench.tabId()");
    const led = follower.evaluate<number>(`window.bench.newLeader(${JSON.stringify(old)})`);
    const closedAt = Date.now();
    await leader.close();
    const handover = (await led) - closedAt;
    await expect.poll(() => gateway.stats().sockets).toBe(1);
    const after = await recordPhase(produce, guild, [follower], 1000, 3);
    expect(after.tabs[0]).toMatchObject({ lost: 0, duplicated: 0 });

    recordFigure("leader-hidden", {
      fault: `leader tab hidden for ${HIDDEN_SECONDS} s (behind another tab; its timers ${Math.round(leaderTimers)}/s, then ${Math.round(timersAfter * 10) / 10}/s), 1,000 entries/s`,
      figure: `the follower: 0 lost, 0 duplicated of ${phase.to - phase.from + 1}, p50 ${served!.p50} ms, p99 ${served!.p99} ms; the hidden leader's own tab p50 ${own!.p50}, p99 ${own!.p99} ms; then closed: the follower led in ${handover} ms`,
      target: "every seq exactly once while hidden; the next tab leads",
      met: true,
    });
  } finally {
    await raw.close();
  }
});

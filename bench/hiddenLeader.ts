import type { Gateway } from "../demo/gateway/createGateway";
import type { Produce } from "./producer";
import { launchRawChromium, type RawBrowser } from "./rawBrowser";
import { RawTarget } from "./rawTarget";
import { delivery, percentile } from "./stats";

/** What one tab received of a seq range. */
export interface TabDelivery {
  lost: number;
  duplicated: number;
  p50: number;
  p99: number;
}
export interface HiddenPhase {
  leaderVisibility: string;
  /** How often a chained 10 ms timer of the leader page ran per second (≈ 100 visible, ≈ 1 hidden). */
  leaderTimerRate: number;
  rate: number;
  leader: TabDelivery;
  follower: TabDelivery;
}

/** Leader-mode bench tabs: the leader and a blank tab in one window, a follower in another. */
export interface HiddenLeaderTabs {
  leader: RawTarget;
  blank: RawTarget;
  follower: RawTarget;
}

/**
 * Opens the tabs (bench/pages/libPage in leader mode) in `raw`: the first tab leads (checked),
 * one socket (checked), dave logged in in both, the guild spectated, both tabs recording its logs.
 */
export async function openHiddenLeaderTabs(
  raw: RawBrowser,
  appUrl: string,
  gateway: Gateway,
  token: string,
  guild: string,
): Promise<HiddenLeaderTabs> {
  const context = await RawTarget.newContext(raw.cdp);
  const url = `${appUrl}/bench/pages/libPage.html?mode=leader&gateway=${encodeURIComponent(gateway.url)}`;
  const leader = await RawTarget.open(raw.cdp, context, url, true);
  await leader.waitForBench();
  const leaderId = await leader.evaluate<string>("window.bench.tabId()");
  const blank = await RawTarget.open(raw.cdp, context, "about:blank");
  const follower = await RawTarget.open(raw.cdp, context, url, true);
  await follower.waitForBench();
  const led = await follower.evaluate<string>("window.bench.leaderTabId()");
  if (led !== leaderId) throw new Error(`the first tab (${leaderId}) should lead, ${led} does`);
  if (gateway.stats().sockets !== 1) throw new Error(`${gateway.stats().sockets} sockets, not 1`);
  // Each tab logs in, as the dashboard's tabs do at load: a tab that holds the token elevates
  // the next leader's worker when the leader goes (the token never leaves a tab's memory).
  for (const tab of [leader, follower]) {
    await tab.evaluate(`window.bench.login(${JSON.stringify(token)}, ${JSON.stringify(guild)})`);
    await tab.evaluate(`window.bench.subscribeLogs(${JSON.stringify(guild)})`);
  }
  return { leader, blank, follower };
}

/** Runs of a chained 10 ms timer per second in `tab` over 2 s: how much the browser throttles it. */
export function timerRate(tab: RawTarget): Promise<number> {
  return tab.evaluate<number>(
    `new Promise((resolve) => { let n = 0; const t0 = Date.now();
      const tick = () => { n++; if (Date.now() - t0 < 2000) setTimeout(tick, 10); else resolve(n / ((Date.now() - t0) / 1000)); };
      tick(); })`,
  );
}

/** Publishes at `rate` for `seconds` and returns what each tab received of it. */
export async function recordPhase(
  produce: Produce,
  guild: string,
  tabs: readonly RawTarget[],
  rate: number,
  seconds: number,
): Promise<{ from: number; to: number; tabs: TabDelivery[] }> {
  for (const tab of tabs) await tab.evaluate("window.bench.start()");
  const { from, to } = await produce(guild, rate, seconds);
  await new Promise((r) => setTimeout(r, 1500));
  const received = await Promise.all(
    tabs.map(async (tab) => {
      const r = await tab.evaluate<{ seqs: number[]; latencies: number[] }>("window.bench.stop()");
      return {
        ...delivery(r.seqs, from, to),
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
      };
    }),
  );
  return { from, to, tabs: received };
}

/**
 * Leader mode with the leader tab in front, then behind the blank tab of its window (issue 9),
 * in a Chromium that throttles hidden pages as a user's does (bench/rawBrowser). The follower
 * has a window of its own and stays visible. Each phase records both tabs' emit→tab latency.
 */
export async function benchHiddenLeader(options: {
  gateway: Gateway;
  produce: Produce;
  appUrl: string;
  token: string;
  guild: string;
  rates: readonly number[];
  seconds: number;
  rounds: number;
  log?: (line: string) => void;
}): Promise<HiddenPhase[]> {
  const { gateway, guild } = options;
  const raw = await launchRawChromium();
  try {
    const { leader, blank, follower } = await openHiddenLeaderTabs(
      raw,
      options.appUrl,
      gateway,
      options.token,
      guild,
    );
    const phases: HiddenPhase[] = [];
    for (let round = 0; round < options.rounds; round++)
      for (const rate of options.rates)
        for (const front of [leader, blank]) {
          await front.activate();
          const leaderVisibility = await leader.evaluate<string>("document.visibilityState");
          const expected = front === leader ? "visible" : "hidden";
          if (leaderVisibility !== expected)
            throw new Error(`the leader tab is ${leaderVisibility}, not ${expected}`);
          const leaderTimerRate = Math.round(await timerRate(leader));
          const { tabs } = await recordPhase(
            options.produce,
            guild,
            [leader, follower],
            rate,
            options.seconds,
          );
          const [l, f] = tabs as [TabDelivery, TabDelivery];
          phases.push({ leaderVisibility, leaderTimerRate, rate, leader: l, follower: f });
          options.log?.(
            `hidden leader: leader ${leaderVisibility} (its timers ${leaderTimerRate}/s) @ ${rate}/s: follower lost ${f.lost} dup ${f.duplicated} p50 ${f.p50} p99 ${f.p99} ms; leader tab lost ${l.lost} dup ${l.duplicated} p50 ${l.p50} p99 ${l.p99} ms`,
          );
        }
    return phases;
  } finally {
    await raw.close();
  }
}

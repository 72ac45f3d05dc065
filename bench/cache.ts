/**
 * The IndexedDB pool cache, measured from real Chromium pages against the reference gateway:
 * time to a whole member pool warm vs cold, bytes to come back after a reload (catch-up by seq
 * vs reload), and the worker's CPU spent writing the cache while pools change.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Cdp } from "./rawTarget";
import type { Diagnostics, PoolType } from "../src";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";
import { signDemoToken } from "../demo/gateway/signDemoToken";
import type { WholePool } from "./pages/cachePage";
import { RawTarget } from "./rawTarget";
import { stallLine, watchStalls } from "./stalls";
import { cpuLine, cpuShares } from "./cpuShares";
import { longestBusy, topSelf, type Profile } from "./cpuProfile";
import { percentile, round } from "./stats";

const SECRET = "bench-secret-0123456789abcdef0123456789";
const RUNS = Number(process.env.BENCH_CACHE_RUNS ?? 3);
const PROFILE = process.env.BENCH_CACHE_PROFILE === "1";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 60_000, what = "condition") {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`bench: ${what} not met in ${timeoutMs} ms`);
    await sleep(50);
  }
}

interface Setup {
  gateway: Gateway;
  guild: string;
  token: string;
  url(cache: boolean): string;
}

async function setup(appUrl: string, members: number): Promise<Setup> {
  const gateway = await createGateway({
    secret: SECRET,
    bigGuildMembers: members,
    limits: { requestsPerSecond: 1e9 },
    warn: () => {},
  });
  const guild = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!.id;
  const alice = gateway.context.dataset.demoUsers.find((u) => u.name === "alice")!;
  const token = await signDemoToken(gateway.auth, alice, 3600);
  const url = (cache: boolean) =>
    `${appUrl}/bench/pages/cachePage.html?gateway=${encodeURIComponent(gateway.url)}${cache ? "" : "&cache=0"}`;
  return { gateway, guild, token, url };
}

/** A tab of a new worker life in `context` (the previous worker must have ended). */
export async function openLife(cdp: Cdp, context: string, url: string, previous: string | null) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const tab = await RawTarget.open(cdp, context, url);
    await tab.waitForBench();
    const workerId = await tab.evaluate<string>("window.bench.ready()");
    if (workerId !== previous) return { tab, workerId };
    await tab.close();
    await sleep(100);
  }
  throw new Error("bench: the previous worker never ended");
}

const diagnostics = (tab: RawTarget) => tab.evaluate<Diagnostics>("window.bench.diagnostics()");
const firstReady = (tab: RawTarget, s: Setup, types: PoolType[]) =>
  tab.evaluate<{ ms: number; first100Ms: number; source: string; count: number }>(
    `window.bench.firstReady(${JSON.stringify(s.token)}, ${JSON.stringify(s.guild)}, ${JSON.stringify(types)})`,
  );

/** Ends a life: waits until the cache holds `pools` records, closes the tab, waits for the socket to go. */
async function endLife(tab: RawTarget, s: Setup, pools: number) {
  await until(async () => (await diagnostics(tab)).cache.pools >= pools, 60_000, "cache written");
  await tab.close();
  await until(() => s.gateway.stats().sockets === 0, 10_000, "socket closed");
}

/**
 * The floor of a restore: a bare SharedWorker hands the library's record of the member pool (on
 * disk in `context`) to a page as its JSON strings, the page parses them (bench/pages/
 * bareRestorePage.ts). A tab and a worker of their own, closed after.
 */
async function bareRestore(cdp: Cdp, context: string, appUrl: string, members: number) {
  const tab = await RawTarget.open(cdp, context, `${appUrl}/bench/pages/bareRestorePage.html`);
  await tab.waitForBench();
  const r = await tab.evaluate<{ first100Ms: number; ms: number; count: number }>("window.bench.restore()");
  await tab.close();
  if (r.count !== members) throw new Error(`bare restore: ${JSON.stringify(r)}`);
  return r;
}

/** Login → first ready whole member pool, from the gateway (fresh profile) and from the cache. */
async function warmVsCold(cdp: Cdp, appUrl: string, members: number) {
  const s = await setup(appUrl, members);
  const cold: number[] = [];
  const warm: number[] = [];
  const warm100: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await RawTarget.newContext(cdp);
    const { tab } = await openLife(cdp, context, s.url(true), null);
    const r = await firstReady(tab, s, ["member"]);
    if (r.source !== "network" || r.count !== members) throw new Error(`cold run: ${JSON.stringify(r)}`);
    cold.push(r.ms);
    let previous = await tab.evaluate<string>("window.bench.ready()");
    await endLife(tab, s, 1);
    for (let w = 0; w < (run === RUNS - 1 ? RUNS : 0); w++) {
      const life = await openLife(cdp, context, s.url(true), previous);
      const hit = await firstReady(life.tab, s, ["member"]);
      if (hit.source !== "cache" || hit.count !== members)
        throw new Error(
          `warm run: ${JSON.stringify(hit)} ${JSON.stringify((await diagnostics(life.tab)).cache)}`,
        );
      warm.push(hit.ms);
      warm100.push(hit.first100Ms);
      const c = (await diagnostics(life.tab)).cache;
      console.log(
        `  warm ${members}: ${round(hit.ms, 1)} ms (first 100 entities ${round(hit.first100Ms, 1)} ms); IndexedDB read ${c.readMs} ms, parse+check ${c.decodeMs} ms`,
      );
      await until(() => life.tab.evaluate<boolean>("window.bench.fresh()"), 60_000, "revalidated");
      previous = life.workerId;
      await endLife(life.tab, s, 1);
      // The floor, from the record just written, with no library worker running.
      if (members > 5_000) {
        const floor = await bareRestore(cdp, context, appUrl, members);
        bare.push(floor.ms);
        console.log(
          `  bare restore ${members}: ${round(floor.ms, 1)} ms (first 100 ${round(floor.first100Ms, 1)} ms)`,
        );
      }
    }
  }
  await s.gateway.stop();
  const p50 = (xs: number[]) => round(percentile(xs, 50), 1);
  return {
    members,
    coldMs: p50(cold),
    warmMs: p50(warm),
    warmFirst100Ms: p50(warm100),
    ratio: round(p50(warm) / p50(cold), 3),
    bareMs: bare.length > 0 ? p50(bare) : null,
    bareRatio: bare.length > 0 ? round(p50(bare) / p50(cold), 3) : null,
    cold,
    warm,
    warm100,
    bare,
  };
}

/** Publishes `rate` log entries a second into `guildId` until `stop()` is called. */
function steadyLogs(s: Setup, guildId: string, rate: number) {
  let running = true;
  const start = Date.now();
  let published = 0;
  const done = (async () => {
    while (running) {
      const due = Math.floor(((Date.now() - start) / 1000) * rate) - published;
      if (due > 0) published += await s.gateway.activity.publish(guildId, "message", due);
      await sleep(10);
    }
  })();
  return () => ((running = false), done);
}

/**
 * Another tab's log latency while a big pool restores: in a fresh worker with the pool on disk,
 * a tab spectates a small guild's logs at `rate`/s; its emit→tab p99 over `seconds` before,
 * against its p99 from the moment a second tab subscribes to the big pool until it is whole
 * (restored from the cache, a part at a time) and 100 ms after.
 */
async function restoreUnderLogs(cdp: Cdp, appUrl: string, members: number, rate: number, seconds: number) {
  const s = await setup(appUrl, members);
  const small = [...s.gateway.context.dataset.guilds.values()].find((g) => g.name === "Small Talk")!.id;
  // Several runs, each in a profile of its own (its first life writes the pool to disk), the
  // figures the median run's (by its ratio), the bare restore's ratio the median of its own.
  const runs: Awaited<ReturnType<typeof underLogsOnce>>[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await RawTarget.newContext(cdp);
    const first = await openLife(cdp, context, s.url(true), null);
    await firstReady(first.tab, s, ["member"]);
    await endLife(first.tab, s, 1);
    const previous = first.workerId;
    const r = await underLogsOnce(cdp, appUrl, { s, small, context, previous }, members, rate, seconds);
    console.log(
      `  run ${run + 1}: the other tab's log p99 ${r.before.p99} ms before, ${r.during.p99} during (${r.ratio}×); during a bare restore ${r.bare.p99} (${r.bare.ratio}×)`,
    );
    runs.push(r);
  }
  await s.gateway.stop();
  const middle = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[xs.length >> 1]!;
  const median = middle(runs, (r) => r.ratio);
  return {
    ...median,
    bare: middle(
      runs.map((r) => r.bare),
      (b) => b.ratio,
    ),
    ratios: runs.map((r) => r.ratio),
    bareRatios: runs.map((r) => r.bare.ratio),
  };
}

/** One run of {@link restoreUnderLogs}: a worker life (after `previous`) with the pool on disk. */
async function underLogsOnce(
  cdp: Cdp,
  appUrl: string,
  { s, small, context, previous }: { s: Setup; small: string; context: string; previous: string },
  members: number,
  rate: number,
  seconds: number,
) {
  const logs = await openLife(cdp, context, s.url(true), previous);
  await logs.tab.evaluate(`window.bench.watchLogs(${JSON.stringify(s.token)}, ${JSON.stringify(small)})`);
  const pool = await RawTarget.open(cdp, context, s.url(true));
  await pool.waitForBench();
  const stop = steadyLogs(s, small, rate);
  await sleep(1000);
  await logs.tab.evaluate("window.bench.takeLogs()");
  await sleep(seconds * 1000);
  type Taken = { seqs: number[]; latencies: number[]; emitted: number[] };
  const before = await logs.tab.evaluate<Taken>("window.bench.takeLogs()");
  // Where the time goes meanwhile: every process's CPU; with BENCH_CACHE_PROFILE=1, the profiles
  // of the shared worker and of the pool's tab too (sampling every 0.2 ms slows both: the
  // latencies of such a run are not the bench's figures).
  const worker = await RawTarget.sharedWorker(cdp);
  const profiled = PROFILE ? [worker, pool] : [];
  for (const target of profiled) {
    await target.send("Profiler.enable", {});
    await target.send("Profiler.setSamplingInterval", { interval: 200 });
    await target.send("Profiler.start", {});
  }
  const stalls = { worker: await watchStalls(worker), logs: await watchStalls(logs.tab) };
  const cpu = await cpuShares(cdp);
  const restored = await pool.evaluate<WholePool>(
    `window.bench.wholePool(${JSON.stringify(s.guild)}, "member")`,
  );
  await sleep(100);
  const shares = await cpu.end(0);
  const stalled = { worker: await stalls.worker.end(), logs: await stalls.logs.end() };
  const stopProfile = async (target: RawTarget) =>
    ((await target.send("Profiler.stop", {})) as { result?: { profile: Profile } }).result?.profile;
  const [profile, tabProfile] = await Promise.all(profiled.map(stopProfile));
  // Attached, DevTools keeps the worker's host after its last tab goes, and a tab opened then is
  // handed to it and never answered (the next run's first tab waited 10 s for its hello).
  await worker.detach();
  const during = await logs.tab.evaluate<Taken>("window.bench.takeLogs()");
  console.log(`  during the restore: ${cpuLine(shares)}`);
  console.log(
    `  the worker's thread: ${stallLine(stalled.worker)}; the log tab's: ${stallLine(stalled.logs)}`,
  );
  if (profile) {
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/profile-cache-worker.cpuprofile", JSON.stringify(profile));
    for (const [fn, ms] of topSelf(profile, 8).top)
      console.log(`    worker ${ms.toFixed(1).padStart(7)} ms  ${fn}`);
    const longest = longestBusy(profile);
    console.log(`    the worker's longest busy stretch: ${longest.ms.toFixed(1)} ms`);
    for (const [fn, ms] of longest.top) console.log(`      ${ms.toFixed(1).padStart(7)} ms  ${fn}`);
  }
  if (tabProfile)
    for (const [fn, ms] of topSelf(tabProfile, 8).top)
      console.log(`    the pool's tab ${ms.toFixed(1).padStart(7)} ms  ${fn}`);
  // The same window with the bare restore in place of the library's (bareRestore), the logs going on.
  await pool.close();
  await sleep(1000);
  await logs.tab.evaluate("window.bench.takeLogs()");
  const floor = await bareRestore(cdp, context, appUrl, members);
  await sleep(100);
  const duringBare = await logs.tab.evaluate<Taken>("window.bench.takeLogs()");
  await stop();
  await logs.tab.close();
  await until(() => s.gateway.stats().sockets === 0, 10_000, "socket closed");
  if (restored.source !== "cache" || restored.count !== members)
    throw new Error(`restore under logs: ${JSON.stringify(restored)}`);
  const p99 = (t: Taken) => round(percentile(t.latencies, 99), 1);
  // The entries emitted while the pool restored, and those of the 100 ms after it: by then the
  // worker revalidates the copy, and this guild is not the one spectated, so that is a whole load
  // of the pool from the gateway, on the one socket the other tab's logs come through too.
  const emittedIn = (t: Taken, from: number, to: number): Taken => {
    const at = t.emitted.flatMap((e, i) => (e >= from && e <= to ? [i] : []));
    return {
      seqs: at.map((i) => t.seqs[i]!),
      latencies: at.map((i) => t.latencies[i]!),
      emitted: at.map((i) => t.emitted[i]!),
    };
  };
  const restoring = emittedIn(during, restored.startedAt, restored.readyAt);
  const after = emittedIn(during, restored.readyAt + 1, Infinity);
  return {
    members,
    rate,
    restoreMs: round(restored.ms, 1),
    first100Ms: round(restored.first100Ms, 1),
    before: {
      entries: before.latencies.length,
      p50: round(percentile(before.latencies, 50), 1),
      p99: p99(before),
    },
    during: {
      entries: restoring.latencies.length,
      p50: round(percentile(restoring.latencies, 50), 1),
      p99: p99(restoring),
    },
    after: { entries: after.latencies.length, p99: p99(after) },
    ratio: round(p99(restoring) / Math.max(1, p99(before)), 2),
    bare: {
      restoreMs: round(floor.ms, 1),
      entries: duringBare.latencies.length,
      p99: p99(duringBare),
      ratio: round(p99(duringBare) / Math.max(1, p99(before)), 2),
    },
  };
}

/** Bytes and frames the gateway sends to come back after a reload, with N updates missed. */
async function catchUpVsReload(cdp: Cdp, appUrl: string, missed: number) {
  const s = await setup(appUrl, 2000);
  let bytes = 0;
  let frames = 0;
  s.gateway.context.io.engine.on(
    "connection",
    (socket: { on(e: string, f: (p: { data?: unknown }) => void): void }) =>
      socket.on("packetCreate", (packet) => {
        frames++;
        bytes += typeof packet.data === "string" ? Buffer.byteLength(packet.data) : 0;
      }),
  );
  const types: PoolType[] = ["member", "channel", "role", "autoResponse", "customEmoji"];
  const context = await RawTarget.newContext(cdp);
  const measure = async (cache: boolean, previous: string | null) => {
    await s.gateway.activity.publish(s.guild, "pool_update", missed);
    bytes = 0;
    frames = 0;
    const life = await openLife(cdp, context, s.url(cache), previous);
    await firstReady(life.tab, s, types);
    await until(() => life.tab.evaluate<boolean>("window.bench.fresh()"), 60_000, "fresh");
    const result = { bytes, frames };
    await endLife(life.tab, s, cache ? types.length : 0);
    return { ...result, workerId: life.workerId };
  };
  const first = await openLife(cdp, context, s.url(true), null);
  await firstReady(first.tab, s, types);
  await endLife(first.tab, s, types.length);
  const catchUp = await measure(true, first.workerId);
  const reload = await measure(false, catchUp.workerId);
  await s.gateway.stop();
  return {
    missed,
    catchUp: { bytes: catchUp.bytes, frames: catchUp.frames },
    reload: { bytes: reload.bytes, frames: reload.frames },
    ratio: round(reload.bytes / Math.max(1, catchUp.bytes), 1),
  };
}

/** The worker's time spent writing the cache while `rate` pool updates a second flow for `seconds`. */
async function writeCost(cdp: Cdp, appUrl: string, rate: number, seconds: number) {
  const s = await setup(appUrl, 2000);
  const context = await RawTarget.newContext(cdp);
  const { tab } = await openLife(cdp, context, s.url(true), null);
  await firstReady(tab, s, ["member", "channel", "role", "autoResponse", "customEmoji", "settingValue"]);
  await until(() => tab.evaluate<boolean>("window.bench.fresh()"), 60_000, "fresh");
  await sleep(1500);
  const before = (await diagnostics(tab)).cache;
  const start = Date.now();
  let published = 0;
  while (Date.now() - start < seconds * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate) - published;
    if (due > 0) published += await s.gateway.activity.publish(s.guild, "pool_update", due);
    await sleep(10);
  }
  const elapsed = (Date.now() - start) / 1000;
  const after = (await diagnostics(tab)).cache;
  await tab.close();
  await s.gateway.stop();
  const msPerSecond = (after.writeMs - before.writeMs) / elapsed;
  return {
    updatesPerSecond: round(published / elapsed, 0),
    writes: after.writes - before.writes,
    writeMsPerSecond: round(msPerSecond, 2),
    coreShare: round(msPerSecond / 1000, 4),
  };
}

/** BENCH_CACHE_PARTS=underLogs (or small, big, reconnect, cost; comma-separated) runs those only. */
const PARTS = process.env.BENCH_CACHE_PARTS?.split(",");
const part = (name: string) => PARTS === undefined || PARTS.includes(name);

export async function benchCache(cdp: Cdp, appUrl: string) {
  const small = part("small") ? await warmVsCold(cdp, appUrl, 2000) : null;
  if (small)
    console.log(`cache, 2,000 members: cold ${small.coldMs} ms, warm ${small.warmMs} ms (${small.ratio}×)`);
  const big = part("big") ? await warmVsCold(cdp, appUrl, 50_000) : null;
  if (big)
    console.log(
      `cache, 50,000 members: cold ${big.coldMs} ms, warm ${big.warmMs} ms (${big.ratio}×), first 100 entities warm ${big.warmFirst100Ms} ms; bare restore (the floor) ${big.bareMs} ms (${big.bareRatio}×)`,
    );
  const underLogs = part("underLogs") ? await restoreUnderLogs(cdp, appUrl, 50_000, 1000, 3) : null;
  if (underLogs)
    console.log(
      `cache, 50,000 members restored while another tab takes 1,000 logs/s: whole in ${underLogs.restoreMs} ms (100 in ${underLogs.first100Ms} ms); the other tab's log p99 ${underLogs.before.p99} ms before (${underLogs.before.entries} entries), ${underLogs.during.p99} ms during (${underLogs.during.entries}), ${underLogs.ratio}×, ${underLogs.after.p99} ms in the 100 ms after, as the copy is revalidated (${underLogs.after.entries}); during a bare restore (${underLogs.bare.restoreMs} ms) ${underLogs.bare.p99} ms (${underLogs.bare.entries}), ${underLogs.bare.ratio}×; the median of ${underLogs.ratios.length} runs (${underLogs.ratios.join(", ")}×; bare ${underLogs.bareRatios.join(", ")}×)`,
    );
  const reconnect = part("reconnect") ? await catchUpVsReload(cdp, appUrl, 50) : null;
  if (reconnect)
    console.log(
      `cache, reload with ${reconnect.missed} updates missed: catch-up ${reconnect.catchUp.bytes} B / ${reconnect.catchUp.frames} frames, reload ${reconnect.reload.bytes} B / ${reconnect.reload.frames} frames (${reconnect.ratio}× fewer bytes)`,
    );
  const cost = part("cost") ? await writeCost(cdp, appUrl, 1000, 10) : null;
  if (cost)
    console.log(
      `cache, writes at ${cost.updatesPerSecond} pool updates/s: ${cost.writeMsPerSecond} ms/s of the worker (${round(cost.coreShare * 100, 2)} % of a core), ${cost.writes} writes`,
    );
  return {
    small,
    big,
    underLogs,
    reconnect,
    cost,
    targets: {
      warm50kRatio: big !== null && big.ratio <= 0.3,
      warm50kFirst100Under100ms: big !== null && big.warmFirst100Ms <= 100,
      restoreLogP99Within2x: underLogs !== null && underLogs.ratio <= 2,
      warm2kUnder100ms: small !== null && small.warmMs <= 100,
      catchUp10x: reconnect !== null && reconnect.ratio >= 10,
      writeUnder5pct: cost !== null && cost.coreShare < 0.05,
    },
  };
}

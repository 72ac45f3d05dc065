/**
 * `npm run bench`: real Chromium, the reference gateway, this library against a socket per tab,
 * every figure beside its baseline from the same run. Prints a table, saves bench/results/latest.json.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../playwright.config";
import { startDevServer } from "../demo/devServer";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";
import { signDemoToken } from "../demo/gateway/signDemoToken";
import { benchCache } from "./cache";
import { benchPresence } from "./presence";
import { benchCeiling, type Ceiling } from "./ceiling";
import { makeMessageEvent } from "../demo/gateway/dataset/poolActivity";
import { createRandom } from "../demo/gateway/dataset/random";
import { benchHiddenLeader, type HiddenPhase } from "./hiddenLeader";
import { startProducer } from "./producer";
import { createInProcessBroker } from "../demo/gateway/broker";
import { cpuLine, cpuShares, type CpuShares } from "./cpuShares";
import { RawTarget } from "./rawTarget";
import { delivery, percentile, round } from "./stats";

/**
 * `lib`: the library (the gateway batches its pushes, Extension 1); `libSingle`: the library with
 * single frames (`batchMs: 0`); `leader`: the library in leader mode (no SharedWorker needed);
 * `naive`: a socket in the page, single frames, as archit.us ships; `ping`: a bare port ping;
 * `relay`: a bare SharedWorker that relays to a socket of its own (the floor of any worker design);
 * `base`: the library of another checkout (`BENCH_BASE`), batched, served by that checkout.
 */
type Kind = "lib" | "libSingle" | "leader" | "naive" | "ping" | "relay" | "base" | "devtools";
const PAGES: Record<Kind, string> = {
  lib: process.env.BENCH_LIB_BATCH ? `libPage.html?batch=${process.env.BENCH_LIB_BATCH}&` : "libPage.html?",
  libSingle: "libPage.html?batch=0&",
  leader: "libPage.html?mode=leader&",
  naive: "naivePage.html?",
  ping: "pingPage.html?",
  relay: "relayPage.html?",
  base: "libPage.html?",
  devtools: "libPage.html?devtools=1&",
};
const RATES = (process.env.BENCH_RATES ?? "2000,5000,10000,20000,50000").split(",").map(Number);
const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 5);
const RTT_N = 1000;
const BISECT_STEPS = Number(process.env.BENCH_BISECT ?? 3);

// BENCH_CONTENTION=1: another process keeps one core busy for the whole run (a user's busy machine).
const contention =
  process.env.BENCH_CONTENTION === "1" ? spawn(process.execPath, ["-e", "for (;;) {}"]) : null;
process.on("exit", () => contention?.kill());

// The gateway runs in this process, fed through its broker by the producer's own process.
const broker = createInProcessBroker();
const gateway: Gateway = await createGateway({
  broker,
  secret: "bench-secret-0123456789abcdef0123456789",
  bigGuildMembers: 2000,
  // Round trips are measured back to back: lift the per-socket request cap for the bench.
  limits: { requestsPerSecond: 1e9 },
  warn: () => {},
});
const producer = await startProducer(gateway, broker, 2000);
process.on("exit", () => producer.stop());
const app = await startDevServer({ root: ".", port: 0 });
/**
 * BENCH_BASE=/path/to/checkout (another commit, with its own `npm ci`): its library, served by its
 * own dev server, measured beside this one in the same run (round trip, fan-out, main thread).
 */
const BASE = process.env.BENCH_BASE;
const baseApp = BASE
  ? await (
      (await import(pathToFileURL(`${BASE}/demo/devServer.ts`).href)) as {
        startDevServer: typeof startDevServer;
      }
    ).startDevServer({ root: ".", port: 0 })
  : null;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
const cdp = await RawTarget.browserCdp(browser);
const guild = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!.id;
const dave = gateway.context.dataset.demoUsers.find((u) => u.name === "dave")!;
const token = await signDemoToken(gateway.auth, dave, 3600);
const log = (line: string) => console.log(line);

async function openTabs(kind: Kind, n: number): Promise<RawTarget[]> {
  const context = await RawTarget.newContext(cdp);
  const origin = kind === "base" && baseApp ? baseApp.url : app.url;
  const url = `${origin}/bench/pages/${PAGES[kind]}gateway=${encodeURIComponent(gateway.url)}`;
  const tabs: RawTarget[] = [];
  for (let i = 0; i < n; i++) {
    const tab = await RawTarget.open(cdp, context, url);
    await tab.waitForBench();
    await tab.evaluate("window.bench.ready()");
    tabs.push(tab);
  }
  return tabs;
}

async function closeAll(tabs: RawTarget[]): Promise<void> {
  for (const tab of tabs) await tab.close().catch(() => {});
  const until = Date.now() + 10_000;
  while (gateway.stats().sockets > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

async function settle(): Promise<number> {
  let last = -1;
  let sockets = gateway.stats().sockets;
  while (sockets !== last) {
    last = sockets;
    await new Promise((r) => setTimeout(r, 300));
    sockets = gateway.stats().sockets;
  }
  return sockets;
}

/** BENCH_ONLY=fan (or sockets, rtt) runs one part; the summary then lacks the others. */
const ONLY = process.env.BENCH_ONLY;
const run = (part: string) => ONLY === undefined || ONLY === part;

// 1. Sockets at the gateway.
const sockets: { tabs: number; library: number; leader: number; naive: number }[] = [];
for (const n of run("sockets") || run("leader") ? [1, 5, 20] : []) {
  const lib = await openTabs("lib", n);
  const library = await settle();
  await closeAll(lib);
  const led = await openTabs("leader", n);
  const leader = await settle();
  await closeAll(led);
  const naive = await openTabs("naive", n);
  const naiveCount = await settle();
  await closeAll(naive);
  sockets.push({ tabs: n, library, leader, naive: naiveCount });
  log(`sockets, ${n} tab(s): library ${library}, leader mode ${leader}, naive ${naiveCount}`);
}

// 2. Round trips.
async function rtt(kind: Kind): Promise<{ p50: number; p99: number }> {
  const [tab] = await openTabs(kind, 1);
  await tab!.evaluate("window.bench.rtt(50)");
  const times = await tab!.evaluate<number[]>(`window.bench.rtt(${RTT_N})`);
  await closeAll([tab!]);
  return { p50: round(percentile(times, 50), 3), p99: round(percentile(times, 99), 3) };
}
const rtts = {
  worker: await rtt("lib"),
  leader: await rtt("leader"),
  direct: await rtt("naive"),
  portPing: await rtt("ping"),
  relay: await rtt("relay"),
  workerNoop: await noopCall(),
  base: baseApp ? await rtt("base") : null,
};
log(
  `rtt p50/p99 ms: worker ${rtts.worker.p50}/${rtts.worker.p99}, leader mode ${rtts.leader.p50}/${rtts.leader.p99}, direct ${rtts.direct.p50}/${rtts.direct.p99}, port ping ${rtts.portPing.p50}/${rtts.portPing.p99}, bare relay worker ${rtts.relay.p50}/${rtts.relay.p99}, no-op worker call ${rtts.workerNoop.p50}/${rtts.workerNoop.p99}`,
);

/** A Comlink call the worker answers at once (no socket): splits the worker's overhead. */
async function noopCall(): Promise<{ p50: number; p99: number }> {
  const [tab] = await openTabs("lib", 1);
  await tab!.evaluate("window.bench.callRtt(50)");
  const times = await tab!.evaluate<number[]>(`window.bench.callRtt(${RTT_N})`);
  await closeAll([tab!]);
  return { p50: round(percentile(times, 50), 3), p99: round(percentile(times, 99), 3) };
}

// 3. log_other fan-out.
interface Step {
  rate: number;
  achieved: number;
  lost: number;
  duplicated: number;
  p50: number;
  p99: number;
  pass: boolean;
  /** Where the CPU went while the step produced. */
  cpu: CpuShares;
}
type FanKind = Exclude<Kind, "ping">;
async function fanOut(kind: FanKind, n: number): Promise<{ best: number; steps: Step[] }> {
  const tabs = await openTabs(kind, n);
  // The library logs in once (the session is shared); naive tabs each log in.
  for (const [i, tab] of tabs.entries())
    if (kind === "naive" || i === 0)
      await tab.evaluate(`window.bench.login(${JSON.stringify(token)}, ${JSON.stringify(guild)})`);
  for (const tab of tabs) await tab.evaluate(`window.bench.subscribeLogs(${JSON.stringify(guild)})`);
  const steps: Step[] = [];
  const step = async (rate: number): Promise<boolean> => {
    for (const tab of tabs) await tab.evaluate("window.bench.start()");
    const cpu = await cpuShares(cdp);
    const { from, to, achievedRate, producerCpu } = await producer.produce(guild, rate, STEP_SECONDS);
    const shares = await cpu.end(producerCpu);
    await new Promise((r) => setTimeout(r, 1500));
    const results = await Promise.all(
      tabs.map((t) => t.evaluate<{ seqs: number[]; latencies: number[] }>("window.bench.stop()")),
    );
    let lost = 0;
    let duplicated = 0;
    const latencies: number[] = [];
    for (const r of results) {
      const d = delivery(r.seqs, from, to);
      lost += d.lost;
      duplicated += d.duplicated;
      for (const l of r.latencies) latencies.push(l);
    }
    const p99 = percentile(latencies, 99);
    const result = {
      rate,
      achieved: Math.round(achievedRate),
      lost,
      duplicated,
      p50: percentile(latencies, 50),
      p99,
      pass: lost === 0 && duplicated === 0 && p99 <= 100,
      cpu: shares,
    };
    steps.push(result);
    log(
      `fan-out ${kind} ${n} tab(s) @ ${rate}/s (achieved ${result.achieved}): lost ${lost}, dup ${duplicated}, p50 ${result.p50} ms, p99 ${p99} ms → ${result.pass ? "pass" : "FAIL"}; ${cpuLine(shares)}, busiest ${shares.busiest}`,
    );
    return result.pass;
  };
  // The fixed steps first; then bisect between the last pass and the first failure.
  let best = 0;
  let failed: number | null = null;
  for (const rate of RATES) {
    if (!(await step(rate))) {
      failed = rate;
      break;
    }
    best = rate;
  }
  // Failed at the lowest fixed rate: halve it until a rate passes (a baseline of 0 compares with nothing).
  while (best === 0 && failed !== null && failed > 100) {
    const half = Math.round(failed / 2);
    if (await step(half)) best = half;
    else failed = half;
  }
  for (let i = 0; i < BISECT_STEPS && failed !== null && failed - best > Math.max(50, best / 10); i++) {
    const grain = best >= 2000 ? 250 : 50;
    const mid = Math.round((best + failed) / 2 / grain) * grain;
    if (mid <= best || mid >= failed) break;
    if (await step(mid)) best = mid;
    else failed = mid;
  }
  await closeAll(tabs);
  return { best, steps };
}
const skipped = { best: Number.NaN, steps: [] as Step[] };
type FanPlanRow = [key: string, kind: FanKind, tabs: number, parts: string[]];
/** With BENCH_BASE, each base configuration runs right after the same one of this build (fairer pairs). */
const withBase = (row: FanPlanRow): FanPlanRow[] =>
  baseApp && row[1] === "lib" ? [row, [row[0].replace("lib", "base"), "base", row[2], row[3]]] : [row];
const FAN_PLAN: FanPlanRow[] = (
  [
    ["lib1", "lib", 1, ["fan"]],
    ["libSingle1", "libSingle", 1, ["fan"]],
    ["naive1", "naive", 1, ["fan"]],
    ["lib5", "lib", 5, ["fan", "leader"]],
    ["libSingle5", "libSingle", 5, ["fan"]],
    ["naive5", "naive", 5, ["fan"]],
    ["leader5", "leader", 5, ["fan", "leader"]],
    ["lib20", "lib", 20, ["fan"]],
    ["libSingle20", "libSingle", 20, ["fan"]],
    ["naive20", "naive", 20, ["fan"]],
  ] as FanPlanRow[]
).flatMap(withBase);
/** BENCH_FAN=lib20,libSingle20 runs only those configurations of the fan-out. */
const FAN_ONLY = process.env.BENCH_FAN?.split(",");
const fan: Record<string, { best: number; steps: Step[] }> = {};
for (const [key, kind, tabs, parts] of FAN_PLAN)
  fan[key] =
    parts.some((part) => run(part)) && (FAN_ONLY === undefined || FAN_ONLY.includes(key))
      ? await fanOut(kind, tabs)
      : skipped;
/**
 * Batched against single frames at 20 tabs: both are bounded by the tabs' CPU there, a bisection
 * apart from each other by its noise (one step, 250/s). BENCH_FAN_ROUNDS rounds (default 3) of the
 * pair, alternating, the first above included; each one's best is then the median of its rounds.
 */
const ROUNDS = Number(process.env.BENCH_FAN_ROUNDS ?? 3);
const rounds: Record<string, number[]> = {};
const pair = ["lib20", "libSingle20"].filter((key) => fan[key] !== skipped);
for (const key of pair) rounds[key] = [fan[key]!.best];
for (let round = 1; round < ROUNDS && pair.length === 2; round++)
  for (const key of round % 2 === 1 ? [...pair].reverse() : pair) {
    const again = await fanOut(key === "lib20" ? "lib" : "libSingle", 20);
    rounds[key]!.push(again.best);
    fan[key]!.steps.push(...again.steps);
  }
for (const key of pair) {
  fan[key]!.best = percentile(rounds[key]!, 50);
  log(`fan-out ${key}: rounds ${rounds[key]!.join(", ")}/s, median ${fan[key]!.best}/s`);
}
const best = (key: string) => fan[key]?.best ?? Number.NaN;

// 3d. The machine's fan-out ceiling: a SharedWorker sending ready-made entries to N tabs, nothing else.
// Entries as the producer makes them (about 1 in 11 holds a character beyond Latin-1, as real
// messages do), so the ceiling's batches are like the library's.
const random = createRandom(7);
const samples = Array.from({ length: 80 }, () =>
  JSON.stringify({
    guild_id: guild,
    seq: 0,
    ...makeMessageEvent(gateway.context.dataset, guild, random, Date.now(), { private: false }),
  }),
);
const ceilings: Ceiling[] = [];
for (const n of run("fan") || run("ceiling") ? [1, 5, 20] : []) {
  const c = await benchCeiling(cdp, app.url, n, samples);
  ceilings.push(c);
  log(
    `fan-out ceiling, ${n} tab(s): a port per tab ${c.ports}/s (worker in postMessage ${c.postMs.ports} ms per round), one BroadcastChannel ${c.broadcast}/s (${c.postMs.broadcast} ms)`,
  );
}

// 3b. Page main-thread time per 10,000 entries delivered: 1 tab at 2,000 entries/s.
async function mainThread(kind: FanKind): Promise<number> {
  const [tab] = await openTabs(kind, 1);
  await tab!.evaluate(`window.bench.login(${JSON.stringify(token)}, ${JSON.stringify(guild)})`);
  await tab!.evaluate(`window.bench.subscribeLogs(${JSON.stringify(guild)})`);
  await producer.produce(guild, 2000, 1); // warm-up
  await new Promise((r) => setTimeout(r, 500));
  await tab!.evaluate("window.bench.start()");
  const before = await tab!.taskMs();
  await producer.produce(guild, 2000, STEP_SECONDS);
  await new Promise((r) => setTimeout(r, 1000));
  const after = await tab!.taskMs();
  const { seqs } = await tab!.evaluate<{ seqs: number[] }>("window.bench.stop()");
  if (kind === "devtools") {
    const panel = await tab!.evaluate<{ renders: number; visible: boolean }>("window.bench.devtools()");
    log(
      `  the devtools panel rendered ${panel.renders} times (page ${panel.visible ? "visible" : "hidden"})`,
    );
  }
  await closeAll([tab!]);
  return round(((after - before) / Math.max(1, seqs.length)) * 10_000, 1);
}
const mainMs =
  run("fan") || run("main")
    ? {
        lib: await mainThread("lib"),
        libSingle: await mainThread("libSingle"),
        naive: await mainThread("naive"),
        devtools: await mainThread("devtools"),
        base: baseApp ? await mainThread("base") : null,
      }
    : null;
if (mainMs)
  log(
    `page main thread per 10,000 entries (ms): library ${mainMs.lib}, single frames ${mainMs.libSingle}, with the devtools panel open ${mainMs.devtools}, socket in the page ${mainMs.naive}`,
  );

// 3c. Heap with 20 tabs subscribed at 2,000 entries/s: the worker's and each tab's, every 10 s
// over 60 s (after a full collection: what is retained).
async function heaps(): Promise<{ at: number; worker: number; tabsMax: number; tabsMean: number }[]> {
  const tabs = await openTabs("lib", 20);
  await tabs[0]!.evaluate(`window.bench.login(${JSON.stringify(token)}, ${JSON.stringify(guild)})`);
  for (const tab of tabs) await tab.evaluate(`window.bench.subscribeLogs(${JSON.stringify(guild)})`);
  const worker = await RawTarget.sharedWorker(cdp);
  const samples: { at: number; worker: number; tabsMax: number; tabsMean: number }[] = [];
  const producing = producer.produce(guild, 2000, HEAP_SECONDS);
  const started = Date.now();
  for (let at = 0; at <= HEAP_SECONDS; at += 10) {
    while (Date.now() - started < at * 1000) await new Promise((r) => setTimeout(r, 100));
    // Recording off: the bench's own arrays would grow with every entry.
    const tabHeaps: number[] = [];
    for (const tab of tabs) tabHeaps.push(await tab.heapUsed());
    const mb = (b: number) => round(b / 1024 / 1024, 2);
    samples.push({
      at,
      worker: mb(await worker.heapUsed()),
      tabsMax: mb(Math.max(...tabHeaps)),
      tabsMean: mb(tabHeaps.reduce((a, b) => a + b, 0) / tabHeaps.length),
    });
    log(
      `heap @ ${at} s: worker ${samples.at(-1)!.worker} MB, tabs mean ${samples.at(-1)!.tabsMean} MB, max ${samples.at(-1)!.tabsMax} MB`,
    );
  }
  await producing;
  await closeAll(tabs);
  return samples;
}
const HEAP_SECONDS = Number(process.env.BENCH_HEAP_SECONDS ?? 60);
const heap = run("fan") || run("heap") ? await heaps() : [];

// 4. Leader handovers: the leader tab closes, the next leads (new worker, socket, session, guild).
async function handovers(count: number): Promise<number[]> {
  const tabs = await openTabs("leader", count + 2);
  await tabs[0]!.evaluate(`window.bench.login(${JSON.stringify(token)}, ${JSON.stringify(guild)})`);
  for (const tab of tabs) await tab.evaluate(`window.bench.subscribeLogs(${JSON.stringify(guild)})`);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const old = await tabs[i]!.evaluate<string>("window.bench.tabId()");
    const next = tabs[i + 1]!.evaluate<number>(`window.bench.newLeader(${JSON.stringify(old)})`);
    const closedAt = Date.now();
    await tabs[i]!.close();
    // A handover that does not complete within 10 s counts as 10 s (and fails the target).
    const ledAt = await Promise.race([
      next,
      new Promise<number>((r) => setTimeout(() => r(closedAt + 10_000), 10_000)),
    ]);
    times.push(ledAt - closedAt);
    log(`leader handover ${i + 1}: ${times.at(-1)} ms`);
  }
  await closeAll(tabs.slice(count));
  return times;
}
const handover = run("leader") || run("handover") ? await handovers(10) : [];

// 5. A hidden leader tab (its own Chromium: Playwright keeps every page it drives visible).
const hidden: HiddenPhase[] =
  run("leader") || run("hidden")
    ? await benchHiddenLeader({
        gateway,
        produce: producer.produce,
        appUrl: app.url,
        token,
        guild,
        rates: [1000, 5000],
        seconds: STEP_SECONDS,
        rounds: 2,
        log,
      })
    : [];
/** Per rate: the follower's mean p50 and p99 with the leader hidden, over those with it visible. */
const hiddenRatios = [...new Set(hidden.map((p) => p.rate))].map((rate) => {
  const mean = (visibility: string, pick: (p: HiddenPhase) => number) => {
    const values = hidden.filter((p) => p.rate === rate && p.leaderVisibility === visibility).map(pick);
    return values.reduce((a, b) => a + b, 0) / values.length;
  };
  const p50 = (p: HiddenPhase) => p.follower.p50;
  const p99 = (p: HiddenPhase) => p.follower.p99;
  return {
    rate,
    visible: { p50: round(mean("visible", p50), 1), p99: round(mean("visible", p99), 1) },
    hidden: { p50: round(mean("hidden", p50), 1), p99: round(mean("hidden", p99), 1) },
    p50Ratio: round(mean("hidden", p50) / mean("visible", p50)),
    p99Ratio: round(mean("hidden", p99) / mean("visible", p99)),
  };
});

// 6. The IndexedDB pool cache.
const cache = run("cache") ? await benchCache(cdp, app.url) : null;

// 7. Presence and the online member view (PROTOCOL.md Extension 2).
const presence = run("presence") ? await benchPresence(cdp, app.url) : null;

await browser.close();
await app.server.close();
await baseApp?.server.close();
await gateway.stop();
producer.stop();

/** `key` sustained at least `times` the baseline's rate (a baseline that passed no rate compares with nothing). */
const atLeast = (key: string, times: number, baseline: string) =>
  best(baseline) > 0 && best(key) >= times * best(baseline);
const targets = {
  oneSocket: sockets.every((s) => s.library === 1),
  leaderOneSocket: sockets.every((s) => s.leader === 1),
  leaderFanOut5: best("leader5") >= 0.5 * best("lib5"),
  leaderHandoverP50: handover.length > 0 && percentile(handover, 50) <= 1000,
  leaderHidden:
    hidden.length > 0 &&
    hidden.every(
      (p) => p.leader.lost + p.leader.duplicated + p.follower.lost + p.follower.duplicated === 0,
    ) &&
    hiddenRatios.every((r) => r.p50Ratio <= 2 && r.p99Ratio <= 2),
  // Rounded as the figures are (0.33 <= 0.18 + 0.15 is false in floating point).
  rtt: round(rtts.worker.p50 - rtts.direct.p50, 3) <= 0.15,
  fanOut1: atLeast("lib1", 2, "naive1"),
  fanOut5: atLeast("lib5", 5, "naive5"),
  fanOut20: atLeast("lib20", 5, "naive20"),
  // 20 tabs: at least 0.6 of what a bare SharedWorker delivers to 20 tabs on this machine, this run.
  fanOut20Ceiling:
    best("lib20") >= 0.6 * (ceilings.find((c) => c.tabs === 20)?.ports ?? Number.POSITIVE_INFINITY),
  // Batched pushes must never lose to single frames.
  fanOut1Single: best("lib1") >= best("libSingle1"),
  fanOut5Single: best("lib5") >= best("libSingle5"),
  fanOut20Single: best("lib20") >= best("libSingle20"),
  mainThread: mainMs !== null && mainMs.lib <= 0.5 * mainMs.naive,
};
contention?.kill();
const results = {
  date: new Date().toISOString(),
  contention: contention !== null,
  rates: RATES,
  stepSeconds: STEP_SECONDS,
  sockets,
  rtts,
  fan,
  fanRounds: rounds,
  ceilings,
  handover,
  mainMs,
  heap,
  hidden,
  hiddenRatios,
  cache,
  presence,
  targets: { ...targets, ...cache?.targets, ...presence?.targets },
};
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify(results, null, 2));

console.log("\n| measure | this library | baseline | target | met |");
console.log("|---|---|---|---|---|");
for (const s of sockets)
  console.log(
    `| sockets, ${s.tabs} tab(s) | ${s.library}; leader mode ${s.leader} | ${s.naive} (socket per tab) | 1 | ${s.library === 1 && s.leader === 1 ? "yes" : "no"} |`,
  );
const yesNo = (ok: boolean) => (ok ? "yes" : "no");
const ratio = (a: number, b: number) => (b > 0 ? `${round(a / b)}×` : "—");
console.log(
  `| RTT p50 / p99 (ms) | ${rtts.worker.p50} / ${rtts.worker.p99} | direct ${rtts.direct.p50} / ${rtts.direct.p99}; port ping ${rtts.portPing.p50} / ${rtts.portPing.p99}; bare relay worker ${rtts.relay.p50} / ${rtts.relay.p99} | ≤ ${round(rtts.direct.p50 + 0.15, 3)} | ${yesNo(targets.rtt)} |`,
);
for (const [tabs, target] of [
  [1, 2],
  [5, 5],
  [20, 5],
] as const) {
  const naive = best(`naive${tabs}`);
  if (Number.isNaN(best(`lib${tabs}`))) continue;
  console.log(
    `| log fan-out, ${tabs} tab(s), batched (entries/s) | ${best(`lib${tabs}`)} | ${naive} (${tabs} socket(s) in the page) | ≥ ${target}× (${ratio(best(`lib${tabs}`), naive)}) | ${yesNo(targets[`fanOut${tabs}` as keyof typeof targets] as boolean)} |`,
  );
  console.log(
    `| log fan-out, ${tabs} tab(s), single frames (entries/s) | ${best(`libSingle${tabs}`)} (${ratio(best(`libSingle${tabs}`), naive)}) | ${naive} | batched ≥ single | ${yesNo(targets[`fanOut${tabs}Single` as keyof typeof targets] as boolean)} |`,
  );
}
for (const c of ceilings)
  console.log(
    `| fan-out ceiling, ${c.tabs} tab(s): entries sent by a bare SharedWorker, parsed by each tab (entries/s) | a port per tab ${c.ports}${Number.isNaN(best(`lib${c.tabs}`)) ? "" : `; library ${best(`lib${c.tabs}`)} (${ratio(best(`lib${c.tabs}`), c.ports)} of it)`} | one BroadcastChannel ${c.broadcast} | ${c.tabs === 20 ? `library ≥ 0.6× | ${yesNo(targets.fanOut20Ceiling)}` : "reported | —"} |`,
  );
if (mainMs)
  console.log(
    `| page main thread per 10,000 entries (ms) | ${mainMs.lib} (single frames ${mainMs.libSingle}; with the devtools panel open ${mainMs.devtools}) | ${mainMs.naive} (socket in the page) | ≤ 0.5× (${ratio(mainMs.lib, mainMs.naive)}) | ${yesNo(targets.mainThread)} |`,
  );
if (heap.length > 0) {
  const spread = (pick: (s: (typeof heap)[number]) => number) => {
    const values = heap.slice(1).map(pick);
    return `${Math.min(...values)}–${Math.max(...values)}`;
  };
  console.log(
    `| heap, 20 tabs at 2,000 entries/s over ${HEAP_SECONDS} s (MB, after GC) | worker ${spread((s) => s.worker)}; a tab's ${spread((s) => s.tabsMean)} (mean), ≤ ${Math.max(...heap.map((s) => s.tabsMax))} | — | reported; flat | — |`,
  );
}
if ((fan.leader5?.steps.length ?? 0) > 0)
  console.log(
    `| log fan-out, 5 tabs, leader mode (entries/s) | ${best("leader5")} | ${best("lib5")} (shared worker) | ≥ 0.5× | ${yesNo(targets.leaderFanOut5)} |`,
  );
if (handover.length > 0)
  console.log(
    `| leader handover, ${handover.length} times (ms) | p50 ${percentile(handover, 50)}, max ${Math.max(...handover)} | — | p50 ≤ 1,000 | ${targets.leaderHandoverP50 ? "yes" : "no"} |`,
  );
for (const r of hiddenRatios)
  console.log(
    `| leader mode, leader tab hidden, follower latency p50 / p99 @ ${r.rate}/s (ms) | ${r.hidden.p50} / ${r.hidden.p99} | leader visible ${r.visible.p50} / ${r.visible.p99} | ≤ 2× (${r.p50Ratio}× / ${r.p99Ratio}×), 0 lost | ${targets.leaderHidden ? "yes" : "no"} |`,
  );
console.log(
  `| RTT p50 / p99, leader mode (ms) | ${rtts.leader.p50} / ${rtts.leader.p99} | shared worker ${rtts.worker.p50} / ${rtts.worker.p99} | reported | — |`,
);
if (cache) {
  const yes = (ok: boolean) => (ok ? "yes" : "no");
  const { small, big, underLogs, reconnect, cost } = cache;
  if (small)
    console.log(
      `| login → whole member pool, 2,000 (ms) | warm ${small.warmMs} | cold ${small.coldMs} | warm ≤ 100 | ${yes(cache.targets.warm2kUnder100ms)} |`,
    );
  if (big) {
    console.log(
      `| login → whole member pool, 50,000 (ms) | warm ${big.warmMs} | cold ${big.coldMs}; bare restore (the floor) ${big.bareMs} (${big.bareRatio}×) | ≤ 0.3× (${big.ratio}×) | ${yes(cache.targets.warm50kRatio)} |`,
    );
    console.log(
      `| login → first 100 of 50,000 members, warm (ms) | ${big.warmFirst100Ms} | — | ≤ 100 | ${yes(cache.targets.warm50kFirst100Under100ms)} |`,
    );
  }
  if (underLogs)
    console.log(
      `| another tab's log p99 while 50,000 members restore, ${underLogs.rate}/s (ms) | during ${underLogs.during.p99} (${underLogs.during.entries} entries) | before ${underLogs.before.p99}; during a bare restore ${underLogs.bare.p99} (${underLogs.bare.ratio}×) | ≤ 2× (${underLogs.ratio}×) | ${yes(cache.targets.restoreLogP99Within2x)} |`,
    );
  if (reconnect)
    console.log(
      `| reload, ${reconnect.missed} updates missed (bytes / frames) | catch-up ${reconnect.catchUp.bytes} / ${reconnect.catchUp.frames} | reload ${reconnect.reload.bytes} / ${reconnect.reload.frames} | ≥ 10× fewer bytes (${reconnect.ratio}×) | ${yes(cache.targets.catchUp10x)} |`,
    );
  if (cost)
    console.log(
      `| cache writes at ${cost.updatesPerSecond} pool updates/s | ${cost.writeMsPerSecond} ms/s of the worker | — | < 5 % of a core (${round(cost.coreShare * 100, 2)} %) | ${yes(cache.targets.writeUnder5pct)} |`,
    );
}
if (presence) {
  const { online, all, ratios, churn } = presence;
  const yes = (ok: boolean) => (ok ? "yes" : "no");
  console.log(
    `| 50,000-member guild: online view vs whole pool, bytes over the socket | ${online.bytes} (${online.members} members) | ${all.bytes} | ≤ 0.2× (${ratios.bytes}×) | ${yes(presence.targets.onlineBytesUnder02)} |`,
  );
  console.log(
    `| login → first ready snapshot, cold (ms) | online ${online.coldMs} | whole ${all.coldMs} | ≤ 0.2× (${ratios.coldMs}×) | ${yes(presence.targets.onlineColdUnder02)} |`,
  );
  console.log(
    `| login → first ready snapshot, warm from the cache (ms) | online ${online.warmMs} | whole ${all.warmMs} | reported (${ratios.warmMs}×) | — |`,
  );
  console.log(
    `| worker heap holding the view (MB, after GC) | online ${online.workerHeapMb} | whole ${all.workerHeapMb} | reported (${ratios.workerHeap}×) | — |`,
  );
  console.log(
    `| presence churn ${churn.changesPerSecond}/s: worker CPU; a React tab's renders/s | ${round(churn.workerCpuShare * 100, 2)} % busy; ${churn.rendersPerSecond} renders/s | ${churn.deliveriesPerSecond} deliveries/s (${churn.framesPerSecond} frames/s) | ≤ 1 render a delivery | ${yes(presence.targets.rendersAtMostDeliveries)} |`,
  );
}
if (baseApp) {
  console.log(`\n| this build vs ${BASE} (same run) | this build | base | ratio |`);
  console.log("|---|---|---|---|");
  const base = rtts.base!;
  console.log(
    `| RTT p50 / p99 (ms) | ${rtts.worker.p50} / ${rtts.worker.p99} | ${base.p50} / ${base.p99} | ${ratio(rtts.worker.p50, base.p50)} / ${ratio(rtts.worker.p99, base.p99)} |`,
  );
  for (const tabs of [1, 5, 20])
    if (!Number.isNaN(best(`base${tabs}`)))
      console.log(
        `| log fan-out, ${tabs} tab(s), batched (entries/s) | ${best(`lib${tabs}`)} | ${best(`base${tabs}`)} | ${ratio(best(`lib${tabs}`), best(`base${tabs}`))} |`,
      );
  if (mainMs?.base)
    console.log(
      `| page main thread per 10,000 entries (ms) | ${mainMs.lib} | ${mainMs.base} | ${ratio(mainMs.lib, mainMs.base)} |`,
    );
}
console.log("\nsaved bench/results/latest.json");

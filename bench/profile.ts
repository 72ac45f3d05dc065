/**
 * `npx tsx bench/profile.ts`: CPU profiles (CDP Profiler) of the shared worker and of one tab
 * while N library tabs receive logs at a rate: where their time goes. Env: PROFILE_TABS (20),
 * PROFILE_RATE (5000), PROFILE_BATCH (the library's batchMs, 16), PROFILE_SECONDS (5). Prints
 * the top functions by self time and saves both profiles to bench/results/profile-*.cpuprofile
 * (open them in Chrome DevTools' Performance panel).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../playwright.config";
import { startDevServer } from "../demo/devServer";
import { createGateway } from "../demo/gateway/createGateway";
import { signDemoToken } from "../demo/gateway/signDemoToken";
import { topSelf, type Profile } from "./cpuProfile";
import { startProducer } from "./producer";
import { createInProcessBroker } from "../demo/gateway/broker";
import { RawTarget } from "./rawTarget";
import { Session } from "node:inspector/promises";
import { cpuLine, cpuShares } from "./cpuShares";
import { delivery, percentile } from "./stats";

const TABS = Number(process.env.PROFILE_TABS ?? 20);
const RATE = Number(process.env.PROFILE_RATE ?? 5000);
const BATCH = Number(process.env.PROFILE_BATCH ?? 16);
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
/** PROFILE_RTT=N: profiles N round trips (interpret) of one tab instead of log fan-out. */
const RTT = Number(process.env.PROFILE_RTT ?? 0);

const broker = createInProcessBroker();
const gateway = await createGateway({
  broker,
  secret: "bench-secret-0123456789abcdef0123456789",
  bigGuildMembers: 2000,
  warn: () => {},
  limits: { requestsPerSecond: 1_000_000 },
});
const producer = await startProducer(gateway, broker, 2000);
const app = await startDevServer({ root: ".", port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
try {
  const cdp = await RawTarget.browserCdp(browser);
  const guild = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!.id;
  const dave = gateway.context.dataset.demoUsers.find((u) => u.name === "dave")!;
  const token = await signDemoToken(gateway.auth, dave, 3600);
  const context = await RawTarget.newContext(cdp);
  const url = `${app.url}/bench/pages/libPage.html?batch=${BATCH}&gateway=${encodeURIComponent(gateway.url)}`;
  const tabs: RawTarget[] = [];
  for (let i = 0; i < TABS; i++) {
    const tab = await RawTarget.open(cdp, context, url, i === 0);
    await tab.waitForBench();
    await tab.evaluate("window.bench.ready()");
    tabs.push(tab);
  }
  await tabs[0]!.evaluate(`window.bench.login(${JSON.stringify(token)}, ${JSON.stringify(guild)})`);
  for (const tab of tabs) await tab.evaluate(`window.bench.subscribeLogs(${JSON.stringify(guild)})`);
  const worker = await RawTarget.sharedWorker(cdp);
  const profiled = [worker, tabs[0]!];
  for (const target of profiled) {
    await target.send("Profiler.enable", {});
    await target.send("Profiler.setSamplingInterval", { interval: 200 });
    await target.send("Profiler.start", {});
  }
  let rttP50 = 0;
  if (RTT > 0) {
    const times = await tabs[0]!.evaluate<number[]>(`window.bench.rtt(${RTT})`);
    rttP50 = percentile(times, 50);
  }
  for (const tab of tabs) await tab.evaluate("window.bench.start()");
  const batchesBefore = await tabs[1]?.evaluate<number>("window.bench.batches()");
  // The gateway's own process (this one) is profiled too: the whole path, producer apart.
  const inspector = new Session();
  inspector.connect();
  await inspector.post("Profiler.enable");
  await inspector.post("Profiler.setSamplingInterval", { interval: 200 });
  await inspector.post("Profiler.start");
  const cpu = await cpuShares(cdp);
  const produced = RTT > 0 ? null : await producer.produce(guild, RATE, SECONDS);
  const { from, to } = produced ?? { from: 1, to: 0 };
  const shares = produced ? await cpu.end(produced.producerCpu) : null;
  if (RTT === 0) await new Promise((r) => setTimeout(r, 1500));
  const gatewayProfile = (await inspector.post("Profiler.stop")).profile as unknown as Profile;
  inspector.disconnect();
  const profiles: Profile[] = [];
  for (const target of profiled) {
    const reply = (await target.send("Profiler.stop", {})) as { result?: { profile: Profile } };
    profiles.push(reply.result!.profile);
  }
  let lost = 0;
  const latencies: number[] = [];
  for (const tab of tabs) {
    const r = await tab.evaluate<{ seqs: number[]; latencies: number[] }>("window.bench.stop()");
    lost += delivery(r.seqs, from, to).lost;
    for (const l of r.latencies) latencies.push(l);
  }
  const batchesAfter = await tabs[1]?.evaluate<number>("window.bench.batches()");
  if (RTT > 0) console.log(`${RTT} round trips (interpret), p50 ${rttP50} ms`);
  else
    console.log(
      `${TABS} tabs, batchMs ${BATCH}, ${RATE}/s for ${SECONDS} s: lost ${lost}, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms; a tab received ${(batchesAfter ?? 0) - (batchesBefore ?? 0)} batches${shares ? `\n${cpuLine(shares)}; busiest ${shares.busiest}` : ""}`,
    );
  mkdirSync("bench/results", { recursive: true });
  for (const [name, profile] of [
    ["worker", profiles[0]!],
    ["tab", profiles[1]!],
    ["gateway", gatewayProfile],
  ] as const) {
    const file = `bench/results/profile-${name}-${TABS}tabs-batch${BATCH}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    const { total, top } = topSelf(profile);
    console.log(`\n${name} (${file}), ${Math.round(total)} ms profiled; self time:`);
    for (const [fn, ms] of top) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${fn}`);
  }
} finally {
  await browser.close();
  await app.server.close();
  await gateway.stop();
  producer.stop();
}

/**
 * Presence and the online member view (PROTOCOL.md Extension 2), measured from real Chromium
 * pages against the reference gateway, on the 50,000-member guild: the online view against the
 * whole member pool (bytes over the socket, time to the first ready snapshot cold and warm, the
 * worker's heap), and presence churn at 1,000 changes a second (the worker's CPU share, a React
 * tab's renders against the deliveries it gets).
 */
import type { Cdp } from "./rawTarget";
import type { Diagnostics } from "../src";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";
import { presenceTopic } from "../demo/gateway/broker";
import { signDemoToken } from "../demo/gateway/signDemoToken";
import { openLife, until } from "./cache";
import { busyShare, type Profile } from "./cpuProfile";
import { RawTarget } from "./rawTarget";
import { percentile, round } from "./stats";

const MEMBERS = 50_000;
const RUNS = Number(process.env.BENCH_PRESENCE_RUNS ?? 3);
const CHURN = Number(process.env.BENCH_PRESENCE_CHURN ?? 1000);
const CHURN_SECONDS = Number(process.env.BENCH_PRESENCE_SECONDS ?? 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type View = "online" | "all";

/** Bytes the gateway sends over its sockets (engine.io packets), from now on. */
function socketBytes(gateway: Gateway): () => number {
  let bytes = 0;
  gateway.context.io.engine.on(
    "connection",
    (socket: { on(e: string, f: (p: { data?: unknown }) => void): void }) =>
      socket.on("packetCreate", (packet) => {
        bytes += typeof packet.data === "string" ? Buffer.byteLength(packet.data) : 0;
      }),
  );
  return () => bytes;
}

/** Time to the first ready snapshot of a view, cold and warm, its bytes and the worker's heap. */
async function oneView(cdp: Cdp, appUrl: string, gateway: Gateway, bytesSent: () => number, view: View) {
  const guild = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!.id;
  const bob = gateway.context.dataset.demoUsers.find((u) => u.name === "bob")!;
  const token = await signDemoToken(gateway.auth, bob, 3600);
  const url = `${appUrl}/bench/pages/presencePage.html?gateway=${encodeURIComponent(gateway.url)}`;
  const firstReady = (tab: RawTarget) =>
    tab.evaluate<{ ms: number; source: string; count: number }>(
      `window.bench.firstReady(${JSON.stringify(token)}, ${JSON.stringify(guild)}, "${view}")`,
    );
  const cold: number[] = [];
  const warm: number[] = [];
  const bytes: number[] = [];
  const heap: number[] = [];
  let size = 0;
  for (let run = 0; run < RUNS; run++) {
    const context = await RawTarget.newContext(cdp);
    const before = bytesSent();
    const first = await openLife(cdp, context, url, null);
    const ready = await firstReady(first.tab);
    if (ready.source !== "network") throw new Error(`cold ${view}: ${JSON.stringify(ready)}`);
    cold.push(ready.ms);
    size = ready.count;
    await until(() => first.tab.evaluate<boolean>("window.bench.fresh()"), 60_000, "fresh");
    bytes.push(bytesSent() - before);
    const worker = await RawTarget.sharedWorker(cdp);
    heap.push(await worker.heapUsed());
    await worker.detach();
    await until(
      async () => (await first.tab.evaluate<Diagnostics>("window.bench.diagnostics()")).cache.pools >= 1,
      60_000,
      "cache written",
    );
    await first.tab.close();
    await until(() => gateway.stats().sockets === 0, 10_000, "socket closed");
    const second = await openLife(cdp, context, url, first.workerId);
    const hit = await firstReady(second.tab);
    if (hit.source !== "cache") throw new Error(`warm ${view}: ${JSON.stringify(hit)}`);
    warm.push(hit.ms);
    await until(() => second.tab.evaluate<boolean>("window.bench.fresh()"), 60_000, "revalidated");
    await second.tab.close();
    await until(() => gateway.stats().sockets === 0, 10_000, "socket closed");
    await cdp.send("Target.disposeBrowserContext", { browserContextId: context });
  }
  const p50 = (xs: number[]) => round(percentile(xs, 50), 1);
  return {
    view,
    members: size,
    coldMs: p50(cold),
    warmMs: p50(warm),
    bytes: Math.round(percentile(bytes, 50)),
    workerHeapMb: round(percentile(heap, 50) / 1024 / 1024, 2),
    cold,
    warm,
  };
}

/** 1,000 presence changes a second in the guild: the worker's busy share, a React tab's renders. */
async function churn(cdp: Cdp, appUrl: string, gateway: Gateway) {
  const guild = [...gateway.context.dataset.guilds.values()].find((g) => g.name === "Architus Hub")!.id;
  const bob = gateway.context.dataset.demoUsers.find((u) => u.name === "bob")!;
  const token = await signDemoToken(gateway.auth, bob, 3600);
  const context = await RawTarget.newContext(cdp);
  const url = `${appUrl}/bench/pages/presencePage.html?gateway=${encodeURIComponent(gateway.url)}&cache=0`;
  const { tab } = await openLife(cdp, context, url, null);
  await tab.evaluate(`window.bench.firstReady(${JSON.stringify(token)}, ${JSON.stringify(guild)}, "online")`);
  await tab.evaluate(`window.bench.render(${JSON.stringify(guild)})`);
  await sleep(1000);
  const worker = await RawTarget.sharedWorker(cdp);
  await worker.send("Profiler.enable", {});
  await worker.send("Profiler.setSamplingInterval", { interval: 500 });
  const frames0 = gateway.context.events.latest(presenceTopic(guild));
  const counts0 = await tab.evaluate<{ renders: number; deliveries: number }>("window.bench.counts()");
  const task0 = await tab.taskMs();
  gateway.activity.setPresenceRate(CHURN, guild);
  await worker.send("Profiler.start", {});
  const started = Date.now();
  await sleep(CHURN_SECONDS * 1000);
  const reply = (await worker.send("Profiler.stop", {})) as { result?: { profile?: Profile } };
  const seconds = (Date.now() - started) / 1000;
  gateway.activity.setPresenceRate(0);
  const counts = await tab.evaluate<{ renders: number; deliveries: number }>("window.bench.counts()");
  const taskMs = (await tab.taskMs()) - task0;
  const frames = gateway.context.events.latest(presenceTopic(guild)) - frames0;
  await tab.close();
  await cdp.send("Target.disposeBrowserContext", { browserContextId: context });
  const profile = reply.result?.profile;
  if (!profile) throw new Error("no worker profile");
  const renders = counts.renders - counts0.renders;
  const deliveries = counts.deliveries - counts0.deliveries;
  return {
    changesPerSecond: CHURN,
    seconds: round(seconds, 1),
    framesPerSecond: round(frames / seconds, 2),
    workerCpuShare: round(busyShare(profile), 4),
    rendersPerSecond: round(renders / seconds, 2),
    deliveriesPerSecond: round(deliveries / seconds, 2),
    tabMainThreadMsPerSecond: round(taskMs / seconds, 1),
  };
}

export async function benchPresence(cdp: Cdp, appUrl: string) {
  const gateway = await createGateway({
    secret: "bench-secret-0123456789abcdef0123456789",
    bigGuildMembers: MEMBERS,
    limits: { requestsPerSecond: 1e9 },
    warn: () => {},
  });
  const bytesSent = socketBytes(gateway);
  try {
    const online = await oneView(cdp, appUrl, gateway, bytesSent, "online");
    console.log(
      `presence, online view of ${MEMBERS}: ${online.members} members, cold ${online.coldMs} ms, warm ${online.warmMs} ms, ${online.bytes} B, worker heap ${online.workerHeapMb} MB`,
    );
    const all = await oneView(cdp, appUrl, gateway, bytesSent, "all");
    console.log(
      `presence, whole member pool of ${MEMBERS}: cold ${all.coldMs} ms, warm ${all.warmMs} ms, ${all.bytes} B, worker heap ${all.workerHeapMb} MB`,
    );
    const load = await churn(cdp, appUrl, gateway);
    console.log(
      `presence, churn ${load.changesPerSecond}/s for ${load.seconds} s: ${load.framesPerSecond} frames/s, worker busy ${round(load.workerCpuShare * 100, 2)} %, tab ${load.rendersPerSecond} renders/s for ${load.deliveriesPerSecond} deliveries/s, tab main thread ${load.tabMainThreadMsPerSecond} ms/s`,
    );
    const ratios = {
      bytes: round(online.bytes / all.bytes, 3),
      coldMs: round(online.coldMs / all.coldMs, 3),
      warmMs: round(online.warmMs / all.warmMs, 3),
      workerHeap: round(online.workerHeapMb / all.workerHeapMb, 3),
    };
    return {
      online,
      all,
      ratios,
      churn: load,
      targets: {
        onlineBytesUnder02: ratios.bytes <= 0.2,
        onlineColdUnder02: ratios.coldMs <= 0.2,
        rendersAtMostDeliveries: load.rendersPerSecond <= load.deliveriesPerSecond,
      },
    };
  } finally {
    await gateway.stop();
  }
}

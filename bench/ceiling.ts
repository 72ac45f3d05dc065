import { RawTarget, type Cdp } from "./rawTarget";

/** Entries per second every tab received, per way of sending, for one tab count. */
export interface Ceiling {
  tabs: number;
  ports: number;
  broadcast: number;
  /** The worker's time in postMessage per round (ms), per way. */
  postMs: { ports: number; broadcast: number };
}

const ROUNDS = 200;
const PER_ROUND = 80;

/**
 * The machine's fan-out ceiling (bench/pages/ceilingWorker.ts): a SharedWorker sends ready-made
 * entries (`samples`, real entries' JSON, in turn) to `tabs` tabs that parse them, with nothing else
 * running; through a port per tab (as the library does), and through one BroadcastChannel.
 * What the library sustains with `tabs` tabs is bounded by this.
 */
export async function benchCeiling(
  cdp: Cdp,
  appUrl: string,
  tabs: number,
  samples: string[],
): Promise<Ceiling> {
  const context = await RawTarget.newContext(cdp);
  const opened: RawTarget[] = [];
  try {
    for (let i = 0; i < tabs; i++) {
      const tab = await RawTarget.open(cdp, context, `${appUrl}/bench/pages/ceilingPage.html`);
      await tab.waitForBench();
      opened.push(tab);
    }
    const once = async (mode: "ports" | "broadcast") => {
      const r = await opened[0]!.evaluate<{ ms: number; postMs: number }>(
        `window.bench.run(${JSON.stringify(mode)}, ${ROUNDS}, ${PER_ROUND}, ${JSON.stringify(samples)})`,
      );
      return { rate: Math.round((ROUNDS * PER_ROUND) / (r.ms / 1000)), postMs: r.postMs / ROUNDS };
    };
    // Warm up both ways, then measure them alternately (the better of two runs each).
    await once("ports");
    await once("broadcast");
    const runs = { ports: [await once("ports")], broadcast: [await once("broadcast")] };
    runs.ports.push(await once("ports"));
    runs.broadcast.push(await once("broadcast"));
    const best = (list: { rate: number; postMs: number }[]) =>
      list.reduce((a, b) => (b.rate > a.rate ? b : a));
    const ports = best(runs.ports);
    const broadcast = best(runs.broadcast);
    return {
      tabs,
      ports: ports.rate,
      broadcast: broadcast.rate,
      postMs: {
        ports: Math.round(ports.postMs * 100) / 100,
        broadcast: Math.round(broadcast.postMs * 100) / 100,
      },
    };
  } finally {
    for (const tab of opened) await tab.close().catch(() => {});
    await cdp.send("Target.disposeBrowserContext", { browserContextId: context }).catch(() => {});
  }
}

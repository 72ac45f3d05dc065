import type { Cdp } from "./rawTarget";
import { round } from "./stats";

/** CPU over a stretch of a bench, as shares of one core (1 = a core busy the whole time). */
export interface CpuShares {
  /** This process: the gateway (and the bench's driving, idle while a step runs). */
  gateway: number;
  /** The producer's own process. */
  producer: number;
  /** The busiest renderer process (a tab, or the shared worker's process), and all of them. */
  rendererMax: number;
  renderers: number;
  /** The browser process, the GPU process and the browser's services (network, storage). */
  browser: number;
  /** Everything above: 2 is both cores of this machine. */
  total: number;
  /** The process that used the most, by its kind. */
  busiest: string;
}

type ProcessInfo = { type: string; id: number; cpuTime: number };

/** Starts measuring; `end(producer)` (the producer's own share, which it reports) gives the shares. */
export async function cpuShares(cdp: Cdp): Promise<{ end(producer: number): Promise<CpuShares> }> {
  const read = async () =>
    ((await cdp.send("SystemInfo.getProcessInfo", {})) as { processInfo: ProcessInfo[] }).processInfo;
  const before = new Map((await read()).map((p) => [p.id, p.cpuTime]));
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  return {
    async end(producer) {
      const seconds = (performance.now() - started) / 1000;
      const own = process.cpuUsage(ownBefore);
      const gateway = (own.user + own.system) / 1e6 / seconds;
      let renderers = 0;
      let rendererMax = 0;
      let browser = 0;
      for (const p of await read()) {
        const share = (p.cpuTime - (before.get(p.id) ?? 0)) / seconds;
        if (p.type === "renderer") {
          renderers += share;
          rendererMax = Math.max(rendererMax, share);
        } else browser += share;
      }
      const byKind: [string, number][] = [
        ["gateway", gateway],
        ["producer", producer],
        ["a renderer", rendererMax],
        ["browser", browser],
      ];
      const busiest = byKind.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      return {
        gateway: round(gateway, 2),
        producer: round(producer, 2),
        rendererMax: round(rendererMax, 2),
        renderers: round(renderers, 2),
        browser: round(browser, 2),
        total: round(gateway + producer + renderers + browser, 2),
        busiest,
      };
    },
  };
}

/** One line: where the CPU went in a step. */
export const cpuLine = (c: CpuShares): string =>
  `cpu (cores): gateway ${c.gateway}, producer ${c.producer}, renderers ${c.renderers} (busiest ${c.rendererMax}), browser ${c.browser}; total ${c.total} of 2`;

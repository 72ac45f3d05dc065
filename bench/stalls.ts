import type { RawTarget } from "./rawTarget";

/**
 * Where a thread stops answering: a 2 ms interval timer evaluated into a page or worker target
 * notes each gap between its runs longer than 10 ms (the thread busy, or not scheduled), until
 * `end()` gives the longest and how much of the window went in such gaps.
 */
export async function watchStalls(target: RawTarget): Promise<{ end(): Promise<Stalls> }> {
  await target.evaluate(`(() => {
    const gaps = (globalThis.__benchStalls = []);
    let last = performance.now();
    globalThis.__benchStallsTimer = setInterval(() => {
      const now = performance.now();
      if (now - last > 10) gaps.push(now - last);
      last = now;
    }, 2);
    globalThis.__benchStallsFrom = last;
  })()`);
  return {
    end: () =>
      target.evaluate<Stalls>(`(() => {
        clearInterval(globalThis.__benchStallsTimer);
        const gaps = globalThis.__benchStalls;
        return {
          windowMs: Math.round(performance.now() - globalThis.__benchStallsFrom),
          longestMs: Math.round(Math.max(0, ...gaps)),
          over50: gaps.filter((g) => g > 50).length,
          stalledMs: Math.round(gaps.reduce((a, b) => a + b, 0)),
        };
      })()`),
  };
}

export interface Stalls {
  windowMs: number;
  /** The longest gap between the timer's runs (ms). */
  longestMs: number;
  /** Gaps over 50 ms. */
  over50: number;
  /** The window's time in gaps over 10 ms. */
  stalledMs: number;
}

export const stallLine = (s: Stalls): string =>
  `longest ${s.longestMs} ms, ${s.over50} over 50 ms, ${s.stalledMs} of ${s.windowMs} ms in gaps over 10 ms`;

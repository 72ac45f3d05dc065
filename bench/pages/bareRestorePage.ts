/**
 * A page whose SharedWorker only hands over the library's record of a member pool from IndexedDB
 * (`bareRestoreWorker.ts`); the page parses it into one array: `window.bench.restore()`.
 */
const worker = new SharedWorker(new URL("./bareRestoreWorker.ts", import.meta.url), {
  type: "module",
  name: "bench-bare-restore",
});
const port = worker.port;
port.start();

const bench = {
  ready: () => Promise.resolve("bare-restore"),
  /** ms to the first 100 members in this page and to all of them, and how many. */
  restore: () =>
    new Promise<{ first100Ms: number; ms: number; count: number }>((resolve, reject) => {
      const started = performance.now();
      const members: unknown[] = [];
      let first100Ms = Number.NaN;
      let left = -1;
      port.onmessage = (m: MessageEvent<{ data: string; parts?: number; error?: string }>) => {
        if (m.data.error) return reject(new Error(m.data.error));
        if (m.data.parts !== undefined) left = m.data.parts + 1;
        for (const member of JSON.parse(m.data.data) as unknown[]) members.push(member);
        if (Number.isNaN(first100Ms) && members.length >= 100) first100Ms = performance.now() - started;
        if (--left === 0) resolve({ first100Ms, ms: performance.now() - started, count: members.length });
      };
      port.postMessage("go");
    }),
};
(window as unknown as { bench: typeof bench }).bench = bench;

/** Raw MessagePort ping to a SharedWorker that echoes: `window.bench.rtt(n)`. */
import { roundTrips } from "./recorder";

const worker = new SharedWorker(new URL("./pingWorker.ts", import.meta.url), {
  type: "module",
  name: "bench-ping",
});
const port = worker.port;
port.start();
let pending: (() => void) | null = null;
port.onmessage = () => pending?.();

const bench = {
  ready: () => Promise.resolve("ping"),
  rtt: (n: number) =>
    roundTrips(
      n,
      () =>
        new Promise<void>((resolve) => {
          pending = resolve;
          port.postMessage({ _id: 1, event: "interpret", content: "!ping" });
        }),
    ),
};
(window as unknown as { bench: typeof bench }).bench = bench;

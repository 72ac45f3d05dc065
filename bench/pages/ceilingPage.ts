/** A tab of the fan-out ceiling (see ceilingWorker.ts): parses each batch, as the library's tabs do. */
const worker = new SharedWorker(new URL("./ceilingWorker.ts", import.meta.url), {
  type: "module",
  name: "bench-ceiling",
});
const port = worker.port;
let entries = 0;
let finished: ((r: { ms: number; postMs: number }) => void) | null = null;
const handle = (batch: { json: string }[]) => {
  for (const item of batch) entries += (JSON.parse(item.json) as unknown[]).length;
  port.postMessage("handled");
};
port.onmessage = (m: MessageEvent) => {
  if (Array.isArray(m.data)) handle(m.data as { json: string }[]);
  else finished?.(m.data as { ms: number; postMs: number });
};
port.start();
new BroadcastChannel("bench-ceiling").onmessage = (m: MessageEvent) => handle(m.data as { json: string }[]);

const bench = {
  ready: () => Promise.resolve("ceiling"),
  entries: () => entries,
  /** Run from one tab: every tab receives `rounds` × `perRound` entries. */
  run: (mode: "ports" | "broadcast", rounds: number, perRound: number, samples: string[]) =>
    new Promise<{ ms: number; postMs: number }>((resolve) => {
      finished = resolve;
      port.postMessage({ mode, rounds, perRound, samples });
    }),
};
(window as unknown as { bench: typeof bench }).bench = bench;

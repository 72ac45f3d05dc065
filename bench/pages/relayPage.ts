/** A page whose SharedWorker only relays to a socket of its own (`relayWorker.ts`): `window.bench.rtt(n)`. */
import { roundTrips } from "./recorder";

const params = new URLSearchParams(location.search);
const worker = new SharedWorker(new URL("./relayWorker.ts", import.meta.url), {
  type: "module",
  name: "bench-relay",
});
const port = worker.port;
port.start();
let connected: (() => void) | null = null;
const waiting = new Map<number, () => void>();
port.onmessage = (m: MessageEvent<string | { connected: true }>) => {
  if (typeof m.data !== "string") return connected?.();
  const payload = JSON.parse(m.data) as { _id?: number };
  if (payload._id !== undefined) waiting.get(payload._id)?.();
};
const ready = new Promise<string>((resolve) => {
  connected = () => resolve("relay");
  port.postMessage({ gateway: params.get("gateway") ?? "" });
});

let nextId = 1;
let messageId = 0;
const bench = {
  ready: () => ready,
  rtt: (n: number) =>
    roundTrips(
      n,
      () =>
        new Promise<void>((resolve) => {
          const _id = nextId++;
          waiting.set(_id, () => {
            waiting.delete(_id);
            resolve();
          });
          const body = { guild_id: "1", message_id: String((messageId += 2)), content: "!ping", _id };
          port.postMessage({ event: "interpret", body: JSON.stringify(body) });
        }),
    ),
};
(window as unknown as { bench: typeof bench }).bench = bench;

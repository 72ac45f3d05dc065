/// <reference lib="webworker" />
/**
 * The fan-out ceiling of this machine: a SharedWorker that sends ready-made log entries to every
 * connected tab, with no gateway, socket or checks, as fast as the tabs handle them (at most
 * {@link IN_FLIGHT} rounds not yet handled by every tab). Per tab through its own port (what the
 * library does), or once for all on a BroadcastChannel.
 */
const scope = self as unknown as SharedWorkerGlobalScope;
const IN_FLIGHT = 8;
const ports: MessagePort[] = [];
const channel = new BroadcastChannel("bench-ceiling");
let handled = 0;
let waiting: { need: number; resolve: () => void } | null = null;

const until = (need: number) =>
  new Promise<void>((resolve) => (handled >= need ? resolve() : (waiting = { need, resolve })));

interface Run {
  mode: "ports" | "broadcast";
  rounds: number;
  perRound: number;
  /**
   * Real entries' JSON, each with `"seq":0`, which each entry replaces with its own; used in
   * turn, so batches mix them as the gateway's do (an emoji in one makes a batch two-byte).
   */
  samples: string[];
}

async function run({ mode, rounds, perRound, samples }: Run): Promise<{ ms: number; postMs: number }> {
  handled = 0;
  let seq = 0;
  let postMs = 0;
  const split = samples.map((sample) => sample.split('"seq":0'));
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const parts: string[] = [];
    for (let i = 0; i < perRound; i++) {
      const [head, tail] = split[seq % split.length]!;
      parts.push(`${head}"seq":${++seq}${tail}`);
    }
    const batch = [{ s: 1, t: "logs", json: `[${parts.join(",")}]` }];
    if (r >= IN_FLIGHT) await until((r - IN_FLIGHT + 1) * ports.length);
    const p0 = performance.now();
    if (mode === "ports") for (const port of ports) port.postMessage(batch);
    else channel.postMessage(batch);
    postMs += performance.now() - p0;
  }
  await until(rounds * ports.length);
  return { ms: performance.now() - t0, postMs };
}

scope.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  ports.push(port);
  port.onmessage = (m: MessageEvent<"handled" | Run>) => {
    if (m.data === "handled") {
      handled++;
      if (waiting && handled >= waiting.need) {
        const w = waiting;
        waiting = null;
        w.resolve();
      }
      return;
    }
    void run(m.data).then((result) => port.postMessage(result));
  };
  port.start();
};

export {};

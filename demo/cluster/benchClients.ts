import { fork, type ChildProcess } from "node:child_process";
import type { BenchChildAnswer, BenchChildCommand, ClientKind } from "./benchClientProcess";

type Collected = Extract<BenchChildAnswer, { type: "collected" }>;

export interface Deliveries {
  /** Entries received since the last `reset`. */
  delivered: number;
  /** Latency percentiles (ms from the entry's timestamp at the producer to its arrival). */
  p50_ms: number;
  p99_ms: number;
  duplicates: number;
  bad: number;
  /** CPU of all client processes since the last reset (ms). */
  cpu_ms: number;
}

export interface BenchClients {
  reset(): Promise<void>;
  collect(): Promise<Deliveries>;
  close(): Promise<void>;
}

/** The `p` percentile of a histogram of [value, count] pairs. */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, p: number): number {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  const rank = Math.min(total - 1, Math.floor(total * p));
  let seen = 0;
  for (const [value, count] of [...histogram].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen > rank) return value;
  }
  return NaN;
}

/** One child process: sends a command, resolves with its answer (rejects if the child dies). */
function child(): { ask(command: BenchChildCommand): Promise<BenchChildAnswer>; proc: ChildProcess } {
  const proc = fork(new URL("./benchClientProcess.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return {
    proc,
    ask: (command) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`bench client process exited (${code})`));
        proc.once("exit", onExit);
        proc.once("message", (message: BenchChildAnswer) => {
          proc.off("exit", onExit);
          if (message.type === "failed") reject(new Error(`bench clients failed: ${message.message}`));
          else resolve(message);
        });
        proc.send(command);
      }),
  };
}

/**
 * `count` clients of `kind` on `urls` (WebSocket; client i on `urls[i % urls.length]`), elevated with `token`, each spectating its
 * guild (Zipf-like) with logs, spread over `processes` child processes so that receiving is
 * not the bench's bottleneck; resolves once every client has its `spectate_return`.
 */
export async function connectClients(
  urls: string | readonly string[],
  token: string,
  guilds: readonly string[],
  count: number,
  { processes = 2, kind = "lean" }: { processes?: number; kind?: ClientKind } = {},
): Promise<BenchClients> {
  const children = Array.from({ length: Math.max(1, Math.min(processes, count)) }, child);
  const askAll = (command: BenchChildCommand) => Promise.all(children.map((c) => c.ask(command)));
  const close = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.proc.exitCode !== null || !c.proc.connected) return resolve();
            c.proc.once("exit", () => resolve());
            c.proc.send({ type: "close" } satisfies BenchChildCommand);
          }),
      ),
    );
  };
  try {
    await Promise.all(
      children.map((c, k) =>
        c.ask({
          type: "connect",
          kind,
          urls: typeof urls === "string" ? [urls] : [...urls],
          token,
          guilds: [...guilds],
          from: Math.floor((count * k) / children.length),
          to: Math.floor((count * (k + 1)) / children.length),
          count,
        }),
      ),
    );
  } catch (error) {
    for (const c of children) c.proc.kill();
    throw error;
  }
  return {
    reset: async () => void (await askAll({ type: "reset" })),
    async collect() {
      const answers = (await askAll({ type: "collect" })) as Collected[];
      const histogram = new Map<number, number>();
      for (const a of answers)
        for (const [ms, n] of a.histogram) histogram.set(ms, (histogram.get(ms) ?? 0) + n);
      const sum = (pick: (a: Collected) => number) => answers.reduce((s, a) => s + pick(a), 0);
      return {
        delivered: [...histogram.values()].reduce((a, b) => a + b, 0),
        p50_ms: histogramPercentile(histogram, 0.5),
        p99_ms: histogramPercentile(histogram, 0.99),
        duplicates: sum((a) => a.duplicates),
        bad: sum((a) => a.bad),
        cpu_ms: Math.round(sum((a) => a.cpu_ms)),
      };
    },
    close,
  };
}

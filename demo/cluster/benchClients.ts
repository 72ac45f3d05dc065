import { fork, type ChildProcess } from "node:child_process";
import type { BenchChildAnswer, BenchChildCommand, ClientKind, Numbered } from "./benchClientProcess";

type Collected = Extract<BenchChildAnswer, { type: "collected" }>;

export interface Deliveries {
  /** Entries received since the last `reset`. */
  delivered: number;
  /** Latency percentiles (ms from the entry's timestamp at the producer to its arrival). */
  p50_ms: number;
  p99_ms: number;
  duplicates: number;
  bad: number;
  /** Clients whose socket closed after they spectated. */
  closed: number;
  /** CPU of all client processes since the last reset (ms). */
  cpu_ms: number;
}

export interface BenchClients {
  reset(): Promise<void>;
  collect(): Promise<Deliveries>;
  spread: number[];
  close(): Promise<void>;
}

/** The `p` percentile (nearest rank: the smallest value with at least p of all at or below it). */
export function histogramPercentile(histogram: ReadonlyMap<number, number>, p: number): number {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  const rank = Math.max(1, Math.ceil(total * p));
  let seen = 0;
  for (const [value, count] of [...histogram].sort((a, b) => a[0] - b[0])) {
    seen += count;
    if (seen >= rank) return value;
  }
  return NaN;
}

interface Child {
  /** Sends a command; its answer, or a rejection once the child is gone (before or meanwhile). */
  ask(command: BenchChildCommand): Promise<BenchChildAnswer>;
  /** Asks it to close its clients and exit; SIGKILLs it after 5 s. */
  close(): Promise<void>;
  kill(): void;
}

function child(): Child {
  const proc: ChildProcess = fork(new URL("./benchClientProcess.ts", import.meta.url), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(a: BenchChildAnswer): void; reject(e: Error): void }>();
  let nextId = 1;
  let gone: Error | undefined;
  const exited = new Promise<void>((resolve) =>
    proc.once("exit", (code, signal) => {
      gone = new Error(`bench client process exited (${signal ?? code})`);
      for (const p of pending.values()) p.reject(gone);
      pending.clear();
      resolve();
    }),
  );
  proc.on("error", (error) => {
    gone ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  });
  proc.on("message", ({ id, ...answer }: Numbered<BenchChildAnswer>) => {
    const p = pending.get(id);
    pending.delete(id);
    if (answer.type === "failed") p?.reject(new Error(`bench clients failed: ${answer.message}`));
    else p?.resolve(answer);
  });
  return {
    ask: (command) =>
      new Promise((resolve, reject) => {
        if (gone || !proc.connected) return reject(gone ?? new Error("bench client process is gone"));
        const id = nextId++;
        pending.set(id, { resolve, reject });
        proc.send({ ...command, id } satisfies Numbered<BenchChildCommand>, (error) => {
          if (!error) return;
          pending.delete(id);
          reject(error);
        });
      }),
    async close() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
      if (proc.connected) proc.send({ type: "close", id: 0 } satisfies Numbered<BenchChildCommand>, () => {});
      else proc.kill("SIGKILL");
      await exited;
      clearTimeout(timer);
    },
    kill: () => void proc.kill("SIGKILL"),
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
  let connected: BenchChildAnswer[];
  try {
    connected = await Promise.all(
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
    for (const c of children) c.kill();
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
        closed: sum((a) => a.closed),
        cpu_ms: Math.round(sum((a) => a.cpu_ms)),
      };
    },
    /** Clients per child process, as each reported once connected. */
    spread: connected.map((a) => (a.type === "connected" ? a.clients : 0)),
    close: async () => void (await Promise.all(children.map((c) => c.close()))),
  };
}

/**
 * Polls `clients` until they have `owed` entries (each once) or none arrived for `quietMs`
 * (warns then); resolves with the deliveries and the time (performance.now()) of the last one.
 */
export async function drainClients(
  clients: BenchClients,
  owed: number,
  quietMs = 3_000,
): Promise<{ deliveries: Deliveries; lastAt: number }> {
  let last = await clients.collect();
  let lastAt = performance.now();
  const unique = (d: Deliveries) => d.delivered - d.duplicates;
  while (unique(last) < owed && performance.now() - lastAt < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await clients.collect();
    if (now.delivered !== last.delivered) lastAt = performance.now();
    last = now;
  }
  if (unique(last) < owed)
    console.warn(`bench: ${owed - unique(last)} entries not delivered after ${quietMs} ms without progress`);
  return { deliveries: last, lastAt };
}

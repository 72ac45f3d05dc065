import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startHaproxy } from "./haproxy";

export interface ClusterOptions {
  nodes: number;
  /** The balancer's port (0: a free one). */
  port: number;
  prefix: string;
  /** Members of the biggest guild (default 50,000). */
  members?: number;
  seed?: number;
  /** More small guilds (benchmarks over many guilds). */
  extraGuilds?: number;
  /** Background events per second at the producer. */
  rate?: number;
  /** Env of every process (AMQP_URL, REDIS_URL, GATEWAY_JWT_SECRET, HAPROXY_PATH…); default this process's. */
  env?: NodeJS.ProcessEnv;
  /** How long each process may take to listen, and the balancer to answer (default 60 s). */
  startTimeoutMs?: number;
}

export interface ClusterProcess {
  url: string;
  pid: number;
  child: ChildProcess;
}

export interface Cluster {
  /** The balancer: the one public URL. */
  url: string;
  /** HAProxy's pid. */
  balancerPid: number;
  producer: ClusterProcess;
  nodes: ClusterProcess[];
  stop(): Promise<void>;
}

const ENTRY = (name: string) => join(import.meta.dirname, name);

/** Rejects once `child` cannot be started or exits: what each step of a start races against. */
function failure(child: ChildProcess, label: string): Promise<never> {
  const failed = new Promise<never>((_, reject) => {
    child.on("error", (error) => reject(new Error(`${label} could not be started: ${error.message}`)));
    child.once("exit", (code, signal) => reject(new Error(`${label} exited (${signal ?? code})`)));
  });
  failed.catch(() => {}); // also rejects when it is stopped, long after its start
  return failed;
}

/** `promise`, or a rejection with `message` after `ms`. */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a `tsx` entry (added to `started` at once, so a stop kills it whatever happens) and
 * waits for its `… listening on URL pid N` line. Its stdin is a pipe from this process, and
 * `--exit-with-stdin` makes it stop when that ends: it does not outlive this process.
 */
function startProcess(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  label: string,
  started: ChildProcess[],
  timeoutMs: number,
): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY(entry), ...args, "--exit-with-stdin"], {
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  started.push(child);
  const listening = new Promise<ClusterProcess>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/\S+) pid (\d+)/.exec(line);
      if (!match?.[1]) return void process.stdout.write(`[${label}] ${line}\n`);
      resolve({ url: match[1], pid: Number(match[2]), child });
    });
  });
  return within(
    Promise.race([listening, failure(child, label)]),
    timeoutMs,
    `${label} did not listen within ${timeoutMs / 1000} s`,
  );
}

/** Rejects with a clear error when something already listens on `port` of 127.0.0.1. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(
              `port ${port} of 127.0.0.1 is already in use (npm start's gateway?): choose another with --port`,
            )
          : error,
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/** A free TCP port on 127.0.0.1 (for HAProxy, which cannot report the one it picked). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Waits until the balancer answers `/stats` from one of `nodePids` (only a cluster node's reply
 * has `node` and its `pid`: not another server that holds the port) while HAProxy still runs.
 */
async function waitForBalancer(
  url: string,
  haproxy: ChildProcess,
  failed: Promise<never>,
  nodePids: number[],
): Promise<void> {
  const ours = async () => {
    try {
      const res = await fetch(`${url}/stats`);
      const body = (await res.json()) as { node?: unknown; pid?: unknown };
      return res.ok && typeof body.node === "number" && nodePids.includes(Number(body.pid));
    } catch {
      return false;
    }
  };
  for (;;) {
    if (await Promise.race([ours(), failed]))
      if (haproxy.exitCode === null && haproxy.signalCode === null) return;
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), failed]);
  }
}

async function kill(child: ChildProcess): Promise<void> {
  // Never started (no such binary), or gone already.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}

/** Starts the producer, `nodes` gateway nodes and HAProxy in front of them. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const env = options.env ?? process.env;
  const common = [
    "--prefix",
    options.prefix,
    "--seed",
    String(options.seed ?? 1),
    "--members",
    String(options.members ?? 50_000),
    "--extra-guilds",
    String(options.extraGuilds ?? 0),
  ];
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const started: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), "architus-cluster-"));
  const stop = async () => {
    await Promise.all(started.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (options.port) await assertPortFree(options.port);
    const producer = await startProcess(
      "producerMain.ts",
      [...common, "--rate", String(options.rate ?? 0)],
      env,
      "producer",
      started,
      timeoutMs,
    );
    const nodes: ClusterProcess[] = [];
    for (let id = 1; id <= options.nodes; id++)
      nodes.push(
        await startProcess(
          "nodeMain.ts",
          [...common, "--id", String(id), "--producer", producer.url],
          env,
          `node ${id}`,
          started,
          timeoutMs,
        ),
      );
    const port = options.port || (await freePort());
    const haproxy = startHaproxy(
      dir,
      port,
      nodes.map((n) => Number(new URL(n.url).port)),
      env,
    );
    started.push(haproxy);
    const url = `http://127.0.0.1:${port}`;
    await within(
      waitForBalancer(
        url,
        haproxy,
        failure(haproxy, "haproxy"),
        nodes.map((n) => n.pid),
      ),
      timeoutMs,
      `the balancer at ${url} did not answer from a node within ${timeoutMs / 1000} s`,
    );
    return { url, balancerPid: haproxy.pid ?? 0, producer, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

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
  /** Env of every process (AMQP_URL, REDIS_URL, GATEWAY_JWT_SECRET…); default this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface ClusterProcess {
  url: string;
  pid: number;
  child: ChildProcess;
}

export interface Cluster {
  /** The balancer: the one public URL. */
  url: string;
  producer: ClusterProcess;
  nodes: ClusterProcess[];
  stop(): Promise<void>;
}

const ENTRY = (name: string) => join(import.meta.dirname, name);

/** Starts a `tsx` entry and waits for its `… listening on URL pid N` line. */
function startProcess(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  label: string,
): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY(entry), ...args], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`${label} exited (${code}) before it listened`));
    child.once("exit", onExit);
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/\S+) pid (\d+)/.exec(line);
      if (!match?.[1]) return void process.stdout.write(`[${label}] ${line}\n`);
      child.off("exit", onExit);
      resolve({ url: match[1], pid: Number(match[2]), child });
    });
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

async function waitForBalancer(url: string, haproxy: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (haproxy.exitCode !== null) throw new Error(`haproxy exited (${haproxy.exitCode})`);
    const ok = await fetch(`${url}/stats`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the balancer at ${url} did not answer`);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
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
  const started: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), "architus-cluster-"));
  const stop = async () => {
    await Promise.all(started.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const producer = await startProcess(
      "producerMain.ts",
      [...common, "--rate", String(options.rate ?? 0)],
      env,
      "producer",
    );
    started.push(producer.child);
    const nodes: ClusterProcess[] = [];
    for (let id = 1; id <= options.nodes; id++) {
      const node = await startProcess(
        "nodeMain.ts",
        [...common, "--id", String(id), "--producer", producer.url],
        env,
        `node ${id}`,
      );
      started.push(node.child);
      nodes.push(node);
    }
    const port = options.port || (await freePort());
    const haproxy = startHaproxy(
      dir,
      port,
      nodes.map((n) => Number(new URL(n.url).port)),
    );
    started.push(haproxy);
    const url = `http://127.0.0.1:${port}`;
    await waitForBalancer(url, haproxy);
    return { url, producer, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { clusterNames, type ClusterNames } from "../clusterNames";
import { dropClusterState } from "../dropClusterState";
import { AMQP_URL, REDIS_URL, uniquePrefix } from "./clusterHarness";
import { until } from "./until";

/** Runs a cluster entry to its exit; its status and what it wrote to stderr. */
function run(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "..", entry), ...args],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

/** Deletes what a cluster created on RabbitMQ and Redis. */
async function dropState(names: ClusterNames): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await dropClusterState(names, AMQP_URL, redis);
  redis.disconnect();
}

describe("starting a cluster process", () => {
  it("a node that cannot reach RabbitMQ exits 1 with a clear message, the password hidden", async () => {
    const { code, stderr } = await run(
      "nodeMain.ts",
      [
        "--id",
        "4",
        "--prefix",
        uniquePrefix("start"),
        "--producer",
        "http://127.0.0.1:1",
        "--members",
        "100",
      ],
      { AMQP_URL: "amqp://guest:hunter2@127.0.0.1:1", REDIS_URL },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^node 4 failed to start: cannot reach RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1 \(.+\); start it or set AMQP_URL\n$/,
    );
  });

  it("the producer exits 1 with a clear message when Redis does not answer", async () => {
    const { code, stderr } = await run(
      "producerMain.ts",
      ["--prefix", uniquePrefix("start"), "--members", "100"],
      {
        REDIS_URL: "redis://127.0.0.1:1",
      },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^producer failed to start: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(.+\); start it or set REDIS_URL\n$/,
    );
  });

  it("a process started with --exit-with-stdin stops when its stdin ends (its parent is gone)", async () => {
    const names = clusterNames(uniquePrefix("stdin"));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "..", "producerMain.ts")].concat([
        "--prefix",
        names.prefix,
        "--members",
        "100",
        "--exit-with-stdin",
      ]),
      { env: { ...process.env, AMQP_URL, REDIS_URL }, stdio: ["pipe", "pipe", "ignore"] },
    );
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        void exited.then((code) => reject(new Error(`producer exited (${code}) before it listened`)));
        createInterface({ input: child.stdout }).on("line", (line) => {
          if (line.startsWith("producer listening on ")) resolve();
        });
      });
      child.stdin.end();
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      await dropState(names);
    }
  }, 60_000);

  it.each(["SIGTERM", "SIGKILL"] as const)(
    "npm run cluster's entry prints the balancer and each node with its pid; %s to it stops them all",
    async (signal) => {
      const names = clusterNames(uniquePrefix("cli"));
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(import.meta.dirname, "..", "clusterMain.ts"),
          "--nodes",
          "2",
          "--port",
          "0",
        ].concat(["--prefix", names.prefix, "--members", "200", "--rate", "0"]),
        { env: { ...process.env, AMQP_URL, REDIS_URL }, stdio: ["ignore", "pipe", "ignore"] },
      );
      const lines: string[] = [];
      try {
        await new Promise<void>((resolve, reject) => {
          child.once("exit", (code) => reject(new Error(`cluster exited (${code}): ${lines.join("\n")}`)));
          createInterface({ input: child.stdout }).on("line", (line) => {
            lines.push(line);
            if (line.startsWith("node 2 ")) resolve();
          });
        });
        const printed = lines.filter((l) => / listening on /.test(l) && !l.startsWith("["));
        expect(printed[0]).toMatch(/^cluster listening on http:\/\/127\.0\.0\.1:\d+$/);
        const nodes = printed.filter((l) => l.startsWith("node "));
        expect(nodes).toHaveLength(2);
        nodes.forEach((line, i) =>
          expect(line).toMatch(
            new RegExp(`^node ${i + 1} listening on http://127\\.0\\.0\\.1:\\d+ pid \\d+$`),
          ),
        );
        const pids = lines
          .filter((l) => !l.startsWith("["))
          .map((l) => /pid (\d+)$/.exec(l)?.[1])
          .filter((p) => p !== undefined)
          .map(Number);
        expect(lines).toContain(`balancer pid ${pids[0]}`);
        expect(pids).toHaveLength(4); // HAProxy, the producer and the two nodes
        // Running, not only present: a process that exited after its parent did is a zombie
        // until this container's init reaps it, and signal 0 still reaches a zombie.
        const alive = (pid: number) => {
          try {
            const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
            return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
          } catch {
            return false;
          }
        };
        expect(pids.every(alive)).toBe(true);
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill(signal);
        await exited;
        // SIGTERM: it stops them before it exits. SIGKILL: the nodes and the producer see their
        // stdin end, and HAProxy gets its parent-death signal.
        await until(
          async () => pids.filter(alive),
          (left) => left.length === 0,
          signal === "SIGTERM" ? 0 : 10_000,
        );
      } finally {
        // Nothing is left running when an assertion failed: the command and what it started.
        for (const pid of lines.flatMap((l) => /pid (\d+)$/.exec(l)?.[1] ?? []).map(Number))
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            /* gone already */
          }
        child.kill("SIGKILL");
        await dropState(names);
      }
    },
    60_000,
  );
});

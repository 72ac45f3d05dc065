import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REDIS_URL, uniquePrefix } from "./clusterHarness";

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
});

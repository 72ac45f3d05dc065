import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { clusterNames } from "../clusterNames";
import { dropClusterState } from "../dropClusterState";
import { startCluster, type ClusterOptions } from "../startCluster";
import { AMQP_URL, REDIS_URL, uniquePrefix } from "./clusterHarness";
import { processesOf } from "./processesOf";

const prefixes: string[] = [];
function options(label: string, extra: Partial<ClusterOptions> = {}): ClusterOptions {
  const prefix = uniquePrefix(label);
  prefixes.push(prefix);
  return { nodes: 1, port: 0, prefix, members: 200, env: { ...process.env, AMQP_URL, REDIS_URL }, ...extra };
}

let rival: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (rival ? rival.close(resolve) : resolve(undefined)));
  rival = null;
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes.splice(0)) await dropClusterState(clusterNames(prefix), AMQP_URL, redis);
  redis.disconnect();
});

describe("startCluster fails with a clear error, leaving nothing running", () => {
  it("when HAProxy cannot be started (HAPROXY_PATH names no binary)", async () => {
    const o = options("nohaproxy");
    o.env = { ...o.env, HAPROXY_PATH: "/nonexistent/haproxy" };
    await expect(startCluster(o)).rejects.toThrow(
      /^haproxy could not be started: spawn \/nonexistent\/haproxy ENOENT$/,
    );
    expect(processesOf(o.prefix)).toEqual([]);
  }, 60_000);

  it("when another server (npm start's gateway) already listens on the port", async () => {
    rival = createServer((_req, res) => res.end("{}")); // answers /stats with 200, as a single gateway does
    await new Promise<void>((resolve) => rival!.listen(0, "127.0.0.1", resolve));
    const { port } = rival.address() as AddressInfo;
    const o = options("busyport", { port });
    await expect(startCluster(o)).rejects.toThrow(`port ${port} of 127.0.0.1 is already in use`);
    expect(processesOf(o.prefix)).toEqual([]);
  }, 60_000);

  it("when a process does not listen in time: it is killed too", async () => {
    const o = options("slow", { startTimeoutMs: 50 });
    await expect(startCluster(o)).rejects.toThrow(/^producer did not listen within 0\.05 s$/);
    expect(processesOf(o.prefix)).toEqual([]);
  }, 60_000);
});

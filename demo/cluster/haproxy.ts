import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * HAProxy in front of the nodes: round robin over WebSocket connections (one HTTP upgrade
 * each, so no stickiness is needed: nodes refuse long polling), health checks on `/stats`
 * every 250 ms (a dead node refuses them at once; a busy one has 2 s to answer, so load alone
 * never takes every node out), and a refused connection retried on another node.
 */
export function haproxyConfig(port: number, nodePorts: number[]): string {
  return [
    "global",
    "  maxconn 4096",
    "defaults",
    "  mode http",
    "  timeout connect 1s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  timeout tunnel 1h",
    "  timeout check 2s",
    "  option redispatch 1",
    "  retries 3",
    "frontend gateway",
    `  bind 127.0.0.1:${port}`,
    "  default_backend nodes",
    "backend nodes",
    "  balance roundrobin",
    "  option httpchk GET /stats",
    ...nodePorts.map((p, i) => `  server node${i + 1} 127.0.0.1:${p} check inter 250 fall 2 rise 2`),
    "",
  ].join("\n");
}

/**
 * Writes the config into `dir` and starts HAProxy in the foreground (its output is passed
 * through): `bin` is `HAPROXY_PATH` of `env`, default `haproxy`. A binary that cannot be
 * started emits `error` on the child: the caller must listen for it.
 */
export function startHaproxy(
  dir: string,
  port: number,
  nodePorts: number[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, haproxyConfig(port, nodePorts));
  return spawn(env.HAPROXY_PATH ?? "haproxy", ["-db", "-f", file], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

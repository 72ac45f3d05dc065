import { spawn, type ChildProcess } from "node:child_process";
import { accessSync, constants, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

/** `bin` as an executable path: itself if it has a slash, else the first match on PATH. */
function executable(bin: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = bin.includes("/")
    ? [bin]
    : (env.PATH ?? "").split(delimiter).map((dir) => join(dir, bin));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

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
 *
 * HAProxy cannot watch its stdin as the nodes do, so where util-linux's `setpriv` is found it
 * starts HAProxy with a parent-death signal (`--pdeathsig TERM`, then it execs HAProxy: same
 * pid): if this process dies, even SIGKILLed, the kernel stops HAProxy too.
 */
export function startHaproxy(
  dir: string,
  port: number,
  nodePorts: number[],
  env: NodeJS.ProcessEnv,
): ChildProcess {
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, haproxyConfig(port, nodePorts));
  const bin = env.HAPROXY_PATH ?? "haproxy";
  const path = executable(bin, env);
  const setpriv = path === undefined ? undefined : executable("setpriv", env);
  const [command, args] =
    path !== undefined && setpriv !== undefined
      ? [setpriv, ["--pdeathsig", "TERM", path, "-db", "-f", file]]
      : [bin, ["-db", "-f", file]];
  return spawn(command, args, { env, stdio: ["ignore", "inherit", "inherit"] });
}

import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createServer } from "node:net";

/** A process the tests started, in its own process group, with the tail of its output. */
export interface Started {
  readonly child: ChildProcess;
  /** The last few kB of its stdout and stderr (for error messages). */
  output(): string;
  /** Ends its whole process group (SIGTERM, then SIGKILL after 3 s); resolves once it exited. */
  stop(): Promise<void>;
}

/** Process groups started and not yet stopped: killed when this process exits, however it ends. */
const running = new Set<number>();
process.once("exit", () => {
  for (const pid of running) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
});

/** Starts `command` in a process group of its own, so `stop` ends whatever it started too. */
export function startProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {},
): Started {
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: options.stdio ?? ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let tail = "";
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const pid = child.pid;
  if (pid !== undefined) running.add(pid);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const signal = (name: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  return {
    child,
    output: () => tail,
    stop: async () => {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
      // Children that outlived the leader (a browser the driver started) go as well.
      signal("SIGKILL");
      if (pid !== undefined) running.delete(pid);
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Polls `check` every 50 ms until it resolves true; rejects after `timeoutMs` with `what`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { intArg } from "../gateway/cliArgs";

/** Prints a start-up failure (no stack: it is the user's to fix) and exits with status 1. */
export function failStart(what: string, error: unknown): never {
  console.error(`${what} failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/**
 * Stops `stop` on SIGINT/SIGTERM, then exits; with `withStdin` (`--exit-with-stdin`) also when
 * stdin ends: the parent that started this process with a pipe on it is gone, even if SIGKILLed.
 */
export function exitOnSignals(stop: () => Promise<void>, withStdin = false): void {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  if (withStdin) {
    process.stdin.on("end", shutdown);
    process.stdin.on("error", shutdown);
    process.stdin.resume();
  }
}

export { intArg } from "../gateway/cliArgs";

/** Prints a start-up failure (no stack: it is the user's to fix) and exits with status 1. */
export function failStart(what: string, error: unknown): never {
  console.error(`${what} failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/** Stops `stop` on SIGINT/SIGTERM, then exits. */
export function exitOnSignals(stop: () => Promise<void>): void {
  const shutdown = () => {
    void stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

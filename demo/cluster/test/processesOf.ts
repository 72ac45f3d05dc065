import { readdirSync, readFileSync } from "node:fs";

/** Pids of the live processes whose command line contains `text` (a cluster's unique prefix). */
export function processesOf(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

import { mkdirSync, writeFileSync } from "node:fs";

/** `npm run faults` runs the fault scenarios at full size (FAULTS_FULL=1); `npm test` reduced. */
export const FULL = process.env.FAULTS_FULL === "1";

/** One row of docs/RELIABILITY.md: a fault, the figure measured, its target, whether it is met. */
export interface FaultFigure {
  fault: string;
  figure: string;
  target: string;
  met: boolean;
}

/** Saves a measured figure (bench/results/faults/KEY.json) for scripts/faultsReport.ts. */
export function recordFigure(key: string, row: FaultFigure): void {
  mkdirSync("bench/results/faults", { recursive: true });
  writeFileSync(
    `bench/results/faults/${key}.json`,
    JSON.stringify({ ...row, full: FULL, at: new Date().toISOString() }),
  );
  console.log(`${row.fault}: ${row.figure} (target ${row.target}: ${row.met ? "met" : "not met"})`);
}

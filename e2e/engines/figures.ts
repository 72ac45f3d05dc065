import { mkdirSync, writeFileSync } from "node:fs";
import { engineProject } from "./engineFixture";

/**
 * Prints a figure the cross-engine scenarios measured, prefixed with the project's engine and
 * mode, and saves it as bench/results/engines/ENGINE-MODE-KEY.json (apart from the fault rows
 * of e2e/figures.ts, which docs/RELIABILITY.md is written from).
 */
export function engineFigure(key: string, figure: string, values: Record<string, number> = {}): void {
  const { engine, mode } = engineProject();
  mkdirSync("bench/results/engines", { recursive: true });
  writeFileSync(
    `bench/results/engines/${engine}-${mode}-${key}.json`,
    JSON.stringify({ engine, mode, key, figure, values, at: new Date().toISOString() }),
  );
  console.log(`[${engine}/${mode}] ${key}: ${figure}`);
}

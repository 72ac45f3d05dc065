import { test as base } from "../fixtures";
import type { Engine, EngineBrowser, EngineName } from "./engine";
import { launchEngine } from "./launchEngine";

/** What a project of e2e/engines/ says in its metadata: the engine, and the client's mode. */
export interface EngineProject {
  engine: EngineName;
  mode: "shared" | "leader";
}

/**
 * e2e/fixtures' `test` (a fresh gateway per test, the app's dev server per worker) plus:
 * `engine`, a fresh browser profile of the project's engine for each test, from `engineRunner`,
 * the engine's processes, started once per worker and always stopped at its end.
 */
export const test = base.extend<{ engine: EngineBrowser }, { engineRunner: Engine }>({
  engineRunner: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use, workerInfo) => {
      const engine = await launchEngine((workerInfo.project.metadata as EngineProject).engine);
      try {
        await use(engine);
      } finally {
        await engine.stop();
      }
    },
    { scope: "worker", timeout: 60_000 },
  ],
  engine: async ({ engineRunner }, use) => {
    const browser = await engineRunner.newBrowser();
    try {
      await use(browser);
    } finally {
      await browser.close();
    }
  },
});

/** The running project's engine and mode. */
export function engineProject(): EngineProject {
  return test.info().project.metadata as EngineProject;
}

/** The query that puts the client page in the project's mode (`&mode=shared` or `&mode=leader`). */
export function modeQuery(): string {
  return `&mode=${engineProject().mode}`;
}

export { expect } from "../fixtures";

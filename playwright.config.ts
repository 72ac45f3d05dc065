import { defineConfig } from "@playwright/test";

/** Debian's Chromium by default; CHROMIUM_PATH points at another Chromium/Chrome binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** The scenarios written once for every engine (e2e/engines/): each engine in shared mode, a subset in leader mode. */
const ENGINES = ["chromium", "firefox", "webkit"] as const;
const LEADER_SCENARIOS = [
  "engines/oneSocket.spec.ts",
  "engines/drops.spec.ts",
  "engines/leaderSession.spec.ts",
];
const engineProjects = ENGINES.flatMap((engine) => [
  {
    name: engine,
    testMatch: "engines/*.spec.ts",
    testIgnore: "engines/leader*.spec.ts",
    metadata: { engine, mode: "shared" },
  },
  { name: `${engine}-leader`, testMatch: LEADER_SCENARIOS, metadata: { engine, mode: "leader" } },
]);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  // Two cores: one browser at a time keeps timings honest.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: "off",
  },
  projects: [
    // The Chromium-only suites; e2e/engines/ runs in the engine projects below.
    { name: "shared", testIgnore: "engines/**" },
    // The scenarios of the shared mode again in leader mode (e2e/helpers' openTab reads `mode`).
    {
      name: "leader",
      testMatch: [
        "oneSocket.spec.ts",
        "poolsAndLogs.spec.ts",
        "sessionAndSpectate.spec.ts",
        "observables.spec.ts",
        "drops.spec.ts",
        "cache.spec.ts",
        "tokenExpiry.spec.ts",
        "callOrder.spec.ts",
        "devtools.spec.ts",
      ],
      // The names match by file name: e2e/engines/ has its own leader projects.
      testIgnore: "engines/**",
      metadata: { mode: "leader" },
    },
    ...engineProjects,
  ],
});

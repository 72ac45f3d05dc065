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
    { name: "shared" },
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
      ],
      metadata: { mode: "leader" },
    },
  ],
});

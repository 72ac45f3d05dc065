import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "worker/**/*.test.ts", "demo/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: one test file at a time keeps socket timings sane.
    fileParallelism: false,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  build: {
    outDir: "dist",
    sourcemap: true,
    lib: {
      entry: { index: "src/index.ts", react: "src/react/index.ts" },
      formats: ["es"],
    },
    rollupOptions: {
      // Consumers bring their own copies of the runtime dependencies.
      external: [/^comlink/, /^rxjs/, /^zod/, /^jose/, /^react/],
    },
  },
  // The worker is its own bundle (socket.io-client, comlink, zod, jose inside), an ES module.
  worker: { format: "es" },
  test: {
    include: ["src/**/*.test.ts", "worker/**/*.test.ts", "demo/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2-core machines: one test file at a time keeps socket timings sane.
    fileParallelism: false,
  },
});

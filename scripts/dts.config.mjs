// Bundles the library's declarations into one .d.ts per public entry of dist/ (rollup-plugin-dts),
// so consumers resolve them under any moduleResolution, without skipLibCheck.
import { dts } from "rollup-plugin-dts";

/** @type {import("rollup").RollupOptions} */
export default {
  input: {
    index: "src/index.ts",
    react: "src/react/index.ts",
    protocol: "src/protocol/index.ts",
    schema: "src/schema/index.ts",
  },
  output: {
    dir: "dist",
    format: "es",
    entryFileNames: "[name].d.ts",
    chunkFileNames: "chunks/[name]-[hash].d.ts",
  },
  external: [/^comlink/, /^rxjs/, /^valibot/, /^react/],
  plugins: [
    dts({ tsconfig: "tsconfig.dom.json", compilerOptions: { composite: false, incremental: false } }),
    {
      name: "worker-entry-declaration",
      generateBundle() {
        // The worker entry only starts the worker: importing it exports nothing.
        this.emitFile({ type: "asset", fileName: "worker.d.ts", source: "export {};\n" });
      },
    },
  ],
};

// Bundles the library's declarations into one .d.ts per public entry of dist/ (rollup-plugin-dts),
// so consumers resolve them under any moduleResolution, without skipLibCheck.
import { resolve } from "node:path";
import { dts } from "rollup-plugin-dts";

const plugin = () =>
  dts({ tsconfig: "tsconfig.dom.json", compilerOptions: { composite: false, incremental: false } });
const output = {
  dir: "dist",
  format: "es",
  entryFileNames: "[name].d.ts",
  chunkFileNames: "chunks/[name]-[hash].d.ts",
};
const PROTOCOL = [resolve("src/protocol"), resolve("src/protocol/index.ts")];

/** @type {import("rollup").RollupOptions[]} */
export default [
  {
    input: {
      index: "src/index.ts",
      react: "src/react/index.ts",
      protocol: "src/protocol/index.ts",
      redux: "src/redux/index.ts",
      "redux-react": "src/redux-react/index.ts",
      devtools: "src/devtools/index.ts",
      "devtools-react": "src/devtools-react/index.ts",
    },
    output,
    external: [
      /^comlink/,
      /^rxjs/,
      /^valibot/,
      /^react/,
      /^react-redux/,
      /^redux/,
      /^use-sync-external-store/,
    ],
    plugins: [
      plugin(),
      {
        name: "worker-entry-declaration",
        generateBundle() {
          // The worker entry only starts the worker: importing it exports nothing.
          this.emitFile({ type: "asset", fileName: "worker.d.ts", source: "export {};\n" });
        },
      },
    ],
  },
  {
    // The schemas (a server's import) take their types from the protocol entry only: nothing of
    // the page client (whose types need the DOM library) is in their declarations.
    input: { schema: "src/schema/index.ts" },
    output: { ...output, paths: (id) => (PROTOCOL.includes(id) ? "./protocol.js" : id) },
    external: (id, importer) =>
      /^valibot/.test(id) ||
      PROTOCOL.includes(id) ||
      (importer !== undefined && id.startsWith(".") && PROTOCOL.includes(resolve(importer, "..", id))),
    plugins: [plugin()],
  },
];

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";
import { defineConfig, type Plugin, type ViteUserConfig } from "vitest/config";
import { unusedMembers } from "./scripts/unusedMembers.js";

/** The worker's URL as the sources write it (Vite's dev server and the demo use it as is). */
const SOURCE_WORKER_URL = '"../../worker/sharedWorker.ts"';
/** The worker's URL in the shipped ESM: a file beside `dist/index.js`, for the app's bundler to emit. */
const SHIPPED_WORKER_URL = '"./worker.js"';
const PLACEHOLDER = "__ARCHIT_GATEWAY_WORKER_URL__";

/**
 * Keeps `new SharedWorker(new URL("./worker.js", import.meta.url), …)` verbatim in the library.
 * Left alone, Vite's library mode bundles the worker into `/assets/…` behind `@vite-ignore`
 * (vitejs/vite#21422), an absolute path that exists on no consumer's server. The sources'
 * URL is hidden from Vite's worker and asset plugins before they run, and the relative URL of
 * the shipped worker entry is written in after bundling, where the app's bundler (Vite,
 * webpack 5, …) finds it and emits the worker as an asset of the app.
 */
function shippedWorkerUrl(): Plugin {
  let replaced = 0;
  return {
    name: "architus:shipped-worker-url",
    enforce: "pre",
    apply: "build",
    buildStart() {
      replaced = 0;
    },
    transform(code, id) {
      if (!id.endsWith("/src/client/openWorker.ts")) return null;
      const count = code.split(SOURCE_WORKER_URL).length - 1;
      if (count === 0) this.error(`openWorker.ts no longer names the worker as ${SOURCE_WORKER_URL}`);
      return { code: code.replaceAll(SOURCE_WORKER_URL, PLACEHOLDER), map: null };
    },
    renderChunk(code) {
      if (!code.includes(PLACEHOLDER)) return null;
      replaced += 1;
      return { code: code.replaceAll(PLACEHOLDER, SHIPPED_WORKER_URL), map: null };
    },
    generateBundle() {
      if (replaced === 0) this.error("the shipped worker URL was not written into any chunk");
    },
  };
}

/**
 * The worker's socket needs two of engine.io's transports: WebSocket, and long polling where
 * WebSocket is blocked (over `fetch`, which workers have; engine.io's default XHR variant is three
 * times its size). Its transport table is replaced in the worker build, which leaves WebTransport
 * (never asked for: the worker names its transports) and XHR polling out, about 2 kB gzip.
 */
function workerTransports(): Plugin {
  const ID = "\0architus:engine-transports";
  const URL_PARTS = fileURLToPath(new URL("worker/gateway/urlParts.ts", import.meta.url));
  const EMITTER = fileURLToPath(new URL("worker/gateway/emitter.ts", import.meta.url));
  const BACKOFF = fileURLToPath(new URL("worker/gateway/backoff.ts", import.meta.url));
  return {
    name: "architus:engine-transports",
    enforce: "pre",
    async resolveId(source, importer, options) {
      // The clients' emitter: worker/gateway/emitter.ts, about 0.2 kB gzip less.
      if (
        source === "@socket.io/component-emitter" &&
        /\/(socket|engine)\.io-(client|parser)\//.test(importer ?? "")
      )
        return EMITTER;
      // socket.io-client's reconnection backoff: worker/gateway/backoff.ts.
      if (source === "./contrib/backo2.js" && importer?.includes("/socket.io-client/build/esm/"))
        return BACKOFF;
      if (!importer?.includes("/engine.io-client/build/esm/")) return null;
      if (source === "./transports/index.js") return ID;
      // Its URI parser: one over `URL` (worker/gateway/urlParts.ts), about 0.4 kB gzip less.
      if (source === "./contrib/parseuri.js") return URL_PARTS;
      // Re-exported by engine.io's index but unused: their top-level code must not keep them.
      if (!/\/(polling-xhr(\.node)?|webtransport)\.js$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && { ...resolved, moduleSideEffects: false };
    },
    load(id) {
      if (id !== ID) return null;
      const dir = fileURLToPath(
        new URL("node_modules/engine.io-client/build/esm/transports/", import.meta.url),
      );
      return `import { WS } from ${JSON.stringify(`${dir}websocket.js`)};
import { Fetch } from ${JSON.stringify(`${dir}polling-fetch.js`)};
export const transports = { websocket: WS, polling: Fetch };`;
    },
  };
}

/**
 * Every payload of the protocol is a JSON string (PROTOCOL.md, Transport): the worker's socket
 * never sends or receives binary attachments. socket.io-parser is replaced in the worker build by
 * worker/gateway/textOnlyParser.ts (about 0.6 kB gzip less): text packets encode and decode as
 * before, with the same checks; a binary packet from a gateway is a parse error, and
 * socket.io-client reconnects.
 */
function textOnlyParser(): Plugin {
  const file = fileURLToPath(new URL("worker/gateway/textOnlyParser.ts", import.meta.url));
  return {
    name: "architus:socket.io-parser-text-only",
    enforce: "pre",
    resolveId(source, importer) {
      if (source !== "socket.io-parser" || !importer?.includes("/socket.io-client/build/esm/")) return null;
      return file;
    },
  };
}

/**
 * The same for engine.io's packets: engine.io-parser's `encodePacket` / `decodePacket` are
 * replaced in the worker build by worker/gateway/textOnlyPackets.ts (text packets exactly as before;
 * no Blob, FileReader or base64 code), about 0.4 kB gzip.
 */
function textOnlyEnginePackets(): Plugin {
  const file = fileURLToPath(new URL("worker/gateway/textOnlyPackets.ts", import.meta.url));
  return {
    name: "architus:engine.io-text-only-packets",
    enforce: "pre",
    resolveId(source, importer) {
      if (!importer?.includes("/engine.io-parser/build/esm/")) return null;
      return source === "./encodePacket.js" || source === "./decodePacket.js" ? file : null;
    },
  };
}

/**
 * The worker ships minified twice: by Vite's own minifier (oxc), then by terser over its output,
 * source map carried through. An app's bundler minifies it again with its own tool (Vite: oxc,
 * webpack: terser), and each of those alone leaves 0.5-0.7 kB gzip more than this pair does (the
 * consumer builds of e2e/consumerApps.spec.ts: 37.1 kB both before, 36.4 and 36.5 kB after).
 * Mangling stays within the file (no property names), `compress` keeps terser's safe defaults.
 */
function minifyWorkerTwice(): Plugin {
  let outDir = "dist";
  return {
    name: "architus:minify-worker-twice",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async writeBundle() {
      const file = join(outDir, "worker.js");
      const [code, map] = await Promise.all([readFile(file, "utf8"), readFile(`${file}.map`, "utf8")]);
      const out = await minify(code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, ""), {
        module: true,
        compress: { passes: 2 },
        sourceMap: { content: map, url: "worker.js.map", includeSources: true },
      });
      if (!out.code || typeof out.map !== "string") throw new Error("terser gave no worker");
      await Promise.all([writeFile(file, out.code), writeFile(`${file}.map`, out.map)]);
    },
  };
}

/** Runtime dependencies the page entries import (the app's bundler resolves and dedupes them). */
const PAGE_EXTERNALS = [
  /^comlink/,
  /^rxjs/,
  /^valibot/,
  /^react/,
  /^react-redux/,
  /^use-sync-external-store/,
];

const test = {
  include: ["src/**/*.test.ts", "worker/**/*.test.ts", "demo/**/*.test.ts"],
  environment: "node" as const,
  testTimeout: 30_000,
  hookTimeout: 30_000,
  // 2-core machines: one test file at a time keeps socket timings sane.
  fileParallelism: false,
};

/**
 * `vite build`: the page-side entries, their dependencies left as imports.
 * `vite build --mode worker`: `dist/worker.js`, the worker with everything it uses inside
 * (socket.io-client, comlink, valibot, idb-keyval): a file with no imports works the same in every
 * bundler, in Vite's dev server (whose dependency optimizer never sees a worker's imports), and
 * copied as is to an app's static files.
 */
const libraryBuild: ViteUserConfig = {
  build: {
    outDir: "dist",
    sourcemap: true,
    // The app's bundler minifies; shipped code stays readable (and its pure annotations intact).
    minify: false,
    lib: {
      entry: {
        index: "src/index.ts",
        react: "src/react/index.ts",
        protocol: "src/protocol/index.ts",
        schema: "src/schema/index.ts",
        redux: "src/redux/index.ts",
        "redux-react": "src/redux-react/index.ts",
        devtools: "src/devtools/index.ts",
        "devtools-react": "src/devtools-react/index.ts",
      },
      formats: ["es"],
    },
    rollupOptions: {
      external: PAGE_EXTERNALS,
      output: {
        chunkFileNames: "chunks/[name]-[hash].js",
        // The hooks and the provider run in the browser only: Next's App Router may import them
        // from a server component's tree, and needs this directive to keep them on the client.
        banner: (chunk) =>
          chunk.isEntry && ["react", "redux-react", "devtools-react"].includes(chunk.name)
            ? '"use client";'
            : "",
      },
    },
  },
  plugins: [shippedWorkerUrl()],
  test,
};

const workerBuild: ViteUserConfig = {
  build: {
    outDir: "dist",
    emptyOutDir: false,
    sourcemap: true,
    minify: "oxc",
    lib: { entry: { worker: "worker/sharedWorker.ts" }, formats: ["es"] },
  },
  plugins: [
    workerTransports(),
    textOnlyParser(),
    textOnlyEnginePackets(),
    unusedMembers(),
    minifyWorkerTwice(),
  ],
  test,
};

export default defineConfig(({ mode }) => (mode === "worker" ? workerBuild : libraryBuild));

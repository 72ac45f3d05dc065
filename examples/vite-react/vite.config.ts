import { defineConfig } from "vite";

// Nothing here is needed for the library: Vite finds its worker through
// `new SharedWorker(new URL("./worker.js", import.meta.url))` and emits it as an asset.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic" } },
});

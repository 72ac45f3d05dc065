import { fileURLToPath } from "node:url";
import { createServer, type ViteDevServer } from "vite";

const repo = fileURLToPath(new URL("..", import.meta.url));

/**
 * A Vite dev server for the demo app (`root: "demo/app"`) or the whole repository
 * (`root: "."`, for the e2e pages), on 127.0.0.1.
 */
export async function startDevServer(options: { root: "demo/app" | "."; port: number }): Promise<{
  url: string;
  server: ViteDevServer;
}> {
  const server = await createServer({
    configFile: false,
    root: `${repo}/${options.root}`,
    logLevel: "error",
    server: {
      host: "127.0.0.1",
      port: options.port,
      strictPort: options.port !== 0,
      hmr: false,
      fs: { allow: [repo] },
    },
    // Pre-bundle everything the pages and the worker import, so the optimizer never reloads a tab.
    optimizeDeps: {
      include: [
        "socket.io-client",
        "comlink",
        "rxjs",
        "valibot",
        "idb-keyval",
        "react",
        "react-dom/client",
        "use-sync-external-store/shim",
      ],
      entries:
        options.root === "."
          ? ["e2e/pages/*.html", "bench/pages/*.html", "demo/app/index.html"]
          : ["index.html"],
    },
    worker: { format: "es" },
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error("vite did not report its URL");
  return { url: url.replace(/\/$/, ""), server };
}

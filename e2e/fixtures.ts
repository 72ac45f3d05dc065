import { test as base } from "@playwright/test";
import { createServer, type ViteDevServer } from "vite";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";

export interface ServerFixtures {
  /** A reference gateway on an ephemeral loopback port (one per worker). */
  gateway: Gateway;
  /** A Vite dev server over the repository, serving the e2e pages and the demo app. */
  app: { url: string };
}

export const test = base.extend<object, ServerFixtures>({
  gateway: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const gateway = await createGateway({
        secret: "e2e-secret-0123456789abcdef0123456789",
        bigGuildMembers: 5000,
        warn: () => {},
      });
      await use(gateway);
      await gateway.stop();
    },
    { scope: "worker" },
  ],
  app: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server: ViteDevServer = await createServer({
        configFile: false,
        root: process.cwd(),
        logLevel: "error",
        server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
        // Pre-bundle everything the page and the worker import, so the optimizer never reloads a tab mid-test.
        optimizeDeps: {
          include: [
            "socket.io-client",
            "comlink",
            "rxjs",
            "zod",
            "jose",
            "idb-keyval",
            "react",
            "react-dom/client",
          ],
          entries: ["e2e/pages/*.html", "demo/app/index.html"],
        },
        worker: { format: "es" },
      });
      await server.listen();
      const url = server.resolvedUrls?.local[0];
      if (!url) throw new Error("vite did not report its URL");
      await use({ url: url.replace(/\/$/, "") });
      await server.close();
    },
    { scope: "worker" },
  ],
});

export { expect } from "@playwright/test";

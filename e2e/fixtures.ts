import { test as base } from "@playwright/test";
import { startDevServer } from "../demo/devServer";
import { createGateway, type Gateway } from "../demo/gateway/createGateway";
import { E2E_SECRET } from "./storage";

/**
 * `gateway`: a reference gateway on an ephemeral loopback port, fresh for each test.
 * `app`: a Vite dev server over the repository (e2e pages and the demo app), one per worker.
 */
export const test = base.extend<{ gateway: Gateway }, { app: { url: string } }>({
  // A fresh gateway per test: counters and rooms start from zero.
  // eslint-disable-next-line no-empty-pattern
  gateway: async ({}, use) => {
    const gateway = await createGateway({
      secret: E2E_SECRET,
      bigGuildMembers: 5000,
      warn: () => {},
    });
    await use(gateway);
    await gateway.stop();
  },
  app: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { url, server } = await startDevServer({ root: ".", port: 0 });
      await use({ url });
      await server.close();
    },
    { scope: "worker" },
  ],
});

export { expect } from "@playwright/test";

import type { Diagnostics, GatewayClient } from "../../src";

/** The client's current diagnostics, once (the subscription ends after the first value). */
export const diagnosticsOnce = (client: GatewayClient): Promise<Diagnostics> =>
  new Promise((resolve) => {
    const s = client.diagnostics$.subscribe((d) => {
      resolve(d);
      queueMicrotask(() => s.unsubscribe());
    });
  });

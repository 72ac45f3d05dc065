import type { Gateway } from "../../demo/gateway/createGateway";

/** Publishes `guild`'s log entries at `rate` a second (and now and then a pool update) until stopped. */
export function startPublishing(
  gateway: Gateway,
  guild: string,
  rate: number,
): { stop(): Promise<{ published: number }> } {
  let running = true;
  const done = (async () => {
    const start = Date.now();
    let published = 0;
    while (running) {
      const due = Math.floor(((Date.now() - start) / 1000) * rate) - published;
      if (due > 0) {
        published += await gateway.activity.publish(guild, "message", due);
        if (Math.random() < 0.2) await gateway.activity.publish(guild, "pool_update", 1);
      }
      // The pace of publishing, not a wait for anything.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { published };
  })();
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}

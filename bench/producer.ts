import type { Gateway } from "../demo/gateway/createGateway";

/**
 * Publishes `message` log entries into one guild at `rate` per second for `seconds`, in 10 ms
 * ticks, through the gateway's own producer and broker. Resolves with the seq range published.
 */
export async function produce(
  gateway: Gateway,
  guildId: string,
  rate: number,
  seconds: number,
): Promise<{ from: number; to: number; achievedRate: number }> {
  const topic = `${guildId}_logs`;
  const from = gateway.context.events.latest(topic) + 1;
  const start = Date.now();
  const end = start + seconds * 1000;
  let published = 0;
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate) - published;
    if (due > 0) {
      await gateway.activity.publish(guildId, "message", due);
      published += due;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const to = gateway.context.events.latest(topic);
  return { from, to, achievedRate: published / ((Date.now() - start) / 1000) };
}

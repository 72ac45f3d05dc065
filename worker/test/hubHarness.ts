import { systemClock, type CacheSettings, type Clock } from "../../src/shared";
import { startHarness, type Harness } from "../../demo/gateway/test/harness";
import type { GatewayOptions } from "../../demo/gateway/createGateway";
import { defaultSocketFactory } from "../gateway/gatewayLink";
import { Hub, type HubOptions } from "../hub";
import { FakeTab } from "./fakeTab";

export interface HubHarness {
  gw: Harness;
  hub: Hub;
  /**
   * A tab of this hub (`backlog`: what the hub may hold for it, default 10,000; `batchMs`: the
   * batching window asked of the gateway, default 16).
   */
  tab(cache?: CacheSettings | false, backlog?: number, batchMs?: number): FakeTab;
  stop(): Promise<void>;
}

/** A real reference gateway and a hub (the worker's core, in Node) connected to it. */
export async function startHubHarness(
  options: { gateway?: GatewayOptions; hub?: Partial<HubOptions>; clock?: Clock } = {},
): Promise<HubHarness> {
  const clock = options.clock ?? systemClock;
  const gw = await startHarness({ clock, ...options.gateway });
  const hub = new Hub({
    clock,
    socketFactory: (url, reconnect) => defaultSocketFactory(url, reconnect),
    workerId: "test-worker",
    buildId: "test",
    ...options.hub,
  });
  const tabs: FakeTab[] = [];
  return {
    gw,
    hub,
    tab(cache, backlog, batchMs) {
      const tab = new FakeTab(hub, gw.gateway.url, cache, backlog, batchMs);
      tabs.push(tab);
      return tab;
    },
    async stop() {
      for (const tab of tabs) tab.close();
      hub.link.close();
      await gw.stop();
    },
  };
}

/**
 * Resolves once the hub holds the guild's pool events up to `seq` (single frames or batches
 * alike). Polls: updates of pools no tab watches deliver nothing a tab could wait for.
 */
export async function untilPoolSeq(
  hub: Hub,
  guildId: string,
  seq: number,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((hub.spectator.poolSeqOf(guildId) ?? 0) < seq) {
    if (Date.now() > until)
      throw new Error(`pool seq ${hub.spectator.poolSeqOf(guildId)} never reached ${seq}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

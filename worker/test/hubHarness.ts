import { systemClock, type CacheSettings, type Clock } from "../../src/shared";
import { startHarness, type Harness } from "../../demo/gateway/test/harness";
import type { GatewayOptions } from "../../demo/gateway/createGateway";
import { defaultSocketFactory } from "../gatewayLink";
import { Hub, type HubOptions } from "../hub";
import { FakeTab } from "./fakeTab";

export interface HubHarness {
  gw: Harness;
  hub: Hub;
  /** A tab of this hub (`backlog`: what the hub may hold for it, default 10,000). */
  tab(cache?: CacheSettings | false, backlog?: number): FakeTab;
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
    tab(cache, backlog) {
      const tab = new FakeTab(hub, gw.gateway.url, cache, backlog);
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

import * as Comlink from "comlink";
import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../src/protocol";
import { TAB_PROTOCOL_VERSION, type HelloRequest } from "../src/shared";
import { createTabApi, type DeliveryPort } from "./exposeTabApi";
import { startHubHarness, type HubHarness } from "./test/hubHarness";

let h: HubHarness | undefined;
afterEach(async () => h?.stop());

/** A refresher as Comlink hands it to the worker: a function with a release handle. */
function remoteRefresher(token: string) {
  const refresher = Object.assign(() => Promise.resolve(token), {
    released: 0,
  }) as (() => Promise<string>) & {
    released: number;
    [Comlink.releaseProxy]: () => void;
  };
  refresher[Comlink.releaseProxy] = () => void refresher.released++;
  return refresher;
}

describe("a tab's calls", () => {
  it("a refresher proxy is released when replaced, set to null, and when the tab says bye", async () => {
    h = await startHubHarness();
    const api = createTabApi(h.hub, { locks: null });
    const delivery: DeliveryPort = { postMessage: () => {}, onmessage: null };
    const hello: HelloRequest = {
      protocolVersion: PROTOCOL_VERSION,
      tabProtocolVersion: TAB_PROTOCOL_VERSION,
      buildId: "test",
      gatewayUrl: h.gw.gateway.url,
      lockName: null,
      tabId: "tab-1",
      cache: false,
      reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
      backlog: 10_000,
      batchMs: 16,
    };
    expect(await api.hello(hello, delivery as MessagePort)).toMatchObject({ ok: true });
    const [first, second, third] = [remoteRefresher("a"), remoteRefresher("b"), remoteRefresher("c")];
    await api.setRefresher(first);
    await api.setRefresher(second);
    expect([first.released, second.released]).toEqual([1, 0]);
    await api.setRefresher(null);
    expect(second.released).toBe(1);
    await api.setRefresher(third);
    await api.bye();
    expect([first.released, second.released, third.released]).toEqual([1, 1, 1]);
  });
});

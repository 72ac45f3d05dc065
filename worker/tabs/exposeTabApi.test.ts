import * as Comlink from "comlink";
import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../src/protocol";
import { TAB_PROTOCOL_VERSION, type HelloRequest } from "../../src/shared";
import { createTabApi, type DeliveryPort } from "./exposeTabApi";
import { startHubHarness, type HubHarness } from "../test/hubHarness";

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

const HELLO: Omit<HelloRequest, "gatewayUrl"> = {
  protocolVersion: PROTOCOL_VERSION,
  tabProtocolVersion: TAB_PROTOCOL_VERSION,
  buildId: "test",
  lockName: null,
  tabId: "tab-1",
  cache: false,
  reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
  backlog: 10_000,
  batchMs: 16,
};

/** A tab's API on the harness's hub, past hello; `refreshers` sees what the hub is given. */
async function helloTab(h: HubHarness) {
  const refreshers: ((() => Promise<string>) | null)[] = [];
  const setRefresher = h.hub.setRefresher.bind(h.hub);
  h.hub.setRefresher = (id, refresher) => {
    refreshers.push(refresher);
    setRefresher(id, refresher);
  };
  const api = createTabApi(h.hub, { locks: null });
  const delivery: DeliveryPort = { postMessage: () => {}, onmessage: null };
  expect(await api.hello({ ...HELLO, gatewayUrl: h.gw.gateway.url }, delivery as MessagePort)).toMatchObject({
    ok: true,
  });
  return { api, refreshers };
}

describe("a tab's calls", () => {
  it("a refresher proxy is released when replaced, set to null, and when the tab says bye", async () => {
    h = await startHubHarness();
    const { api } = await helloTab(h);
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

  it("a refresher replaced while a refresh runs through it is released once that call settles", async () => {
    h = await startHubHarness();
    const { api, refreshers } = await helloTab(h);
    let answer!: (token: string) => void;
    const slow = Object.assign(() => new Promise<string>((resolve) => (answer = resolve)), {
      released: 0,
    }) as (() => Promise<string>) & {
      released: number;
      [Comlink.releaseProxy]: () => void;
    };
    slow[Comlink.releaseProxy] = () => void slow.released++;
    await api.setRefresher(slow);
    const refreshing = refreshers.at(-1)!();
    await api.setRefresher(remoteRefresher("b"));
    expect(slow.released).toBe(0);
    answer("token");
    await expect(refreshing).resolves.toBe("token");
    expect(slow.released).toBe(1);
  });
});

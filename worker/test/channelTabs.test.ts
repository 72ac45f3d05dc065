import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../src/protocol";
import { openChannelConnection } from "../../src/client/channelConnection";
import {
  TAB_PROTOCOL_VERSION,
  leaderBase,
  type DeliveryItem,
  type HelloRequest,
  type Result,
  type SessionState,
} from "../../src/shared";
import { serveChannelTabs } from "../tabs/channelTabs";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
const stops: (() => void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await h?.stop();
});

const request = (url: string, tabId: string, over: Partial<HelloRequest> = {}): HelloRequest => ({
  protocolVersion: PROTOCOL_VERSION,
  tabProtocolVersion: TAB_PROTOCOL_VERSION,
  buildId: "test",
  gatewayUrl: url,
  lockName: null,
  tabId,
  cache: false,
  reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000 },
  backlog: 10_000,
  batchMs: 16,
  ...over,
});

/** A tab's channel connection to the worker at `base`, closed after the test. */
const connect = (base: string, tabId: string) => {
  const connection = openChannelConnection(base, tabId);
  stops.push(() => connection.close());
  return connection;
};

/** Leader mode's channels, in Node (which has BroadcastChannel and MessageChannel; no Web Locks). */
describe("leader mode: a worker serving tabs over BroadcastChannels", () => {
  it("answers hellos, calls and refresher requests, and delivers with acknowledgements", async () => {
    h = await startHubHarness();
    const base = leaderBase(h.gw.gateway.url);
    stops.push(serveChannelTabs(h.hub, base, null));
    const tab = connect(base, "tab-a");
    const delivery = new MessageChannel();
    const batches: DeliveryItem[][] = [];
    delivery.port1.onmessage = (event: MessageEvent<DeliveryItem[]>) => {
      batches.push(event.data);
      delivery.port1.postMessage(0);
    };
    const hello = (await tab.api.hello(
      request(h.gw.gateway.url, "tab-a"),
      delivery.port2,
    )) as Result<unknown>;
    expect(hello).toMatchObject({ ok: true, value: { workerId: "test-worker" } });

    // A token refresher stays in the tab; the worker asks for it over the channel (2 s tokens:
    // refreshed after 1 s).
    let asked = 0;
    const fresh = () => (asked++, h.gw.token("dave", 2));
    await tab.api.setRefresher(fresh as never);
    const login = (await tab.api.login(await h.gw.token("dave", 2))) as Result<SessionState>;
    expect(login).toMatchObject({ ok: true, value: { status: "authenticated" } });
    await tab.api.subscribe(1, { kind: "session" });
    await expect.poll(() => batches.flat().some((i) => i.s === 1 && i.t === "value")).toBe(true);
    await expect.poll(() => asked, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(h.hub.session.state.status).toBe("authenticated");

    const bad = (await tab.api.subscribe(2, { kind: "nope" } as never)) as Result<unknown>;
    expect(bad).toMatchObject({ ok: false, error: { code: "bad_input" } });
    // Every call of the worker's API goes over the channel, the devtools' too (refused: no devtools hello).
    const devtools = (await tab.api.devtools("drop")) as Result<unknown>;
    expect(devtools).toMatchObject({ ok: false, error: { code: "bad_input" } });
    // The api is no thenable: awaiting it calls nothing over the channel.
    const badCalls = h.hub.diagnostics().counters.badCalls ?? 0;
    expect(await Promise.resolve(tab.api)).toBe(tab.api);
    expect(h.hub.diagnostics().counters.badCalls ?? 0).toBe(badCalls);
    expect(h.hub.tabCount).toBe(1);
  });

  it("a tab of another protocol is refused at hello, typed, and can say hello again after an upgrade", async () => {
    h = await startHubHarness();
    const base = leaderBase(h.gw.gateway.url);
    stops.push(serveChannelTabs(h.hub, base, null));
    const old = connect(base, "tab-old");
    const refused = (await old.api.hello(
      request(h.gw.gateway.url, "tab-old", { tabProtocolVersion: TAB_PROTOCOL_VERSION - 1 }),
      new MessageChannel().port2,
    )) as Result<unknown>;
    expect(refused).toMatchObject({ ok: false, error: { code: "incompatible" } });
    expect(h.hub.tabCount).toBe(0);
    // Reloaded with the new build, the same tab is served.
    const upgraded = connect(base, "tab-old");
    const welcome = (await upgraded.api.hello(
      request(h.gw.gateway.url, "tab-old"),
      new MessageChannel().port2,
    )) as Result<unknown>;
    expect(welcome).toMatchObject({ ok: true });
    expect(h.hub.tabCount).toBe(1);
    await upgraded.api.bye();
    expect(h.hub.tabCount).toBe(0);
    // Another gateway's tabs use other channels: a leader of this gateway never hears them.
    const elsewhere = connect(leaderBase("http://127.0.0.1:1"), "tab-x");
    const unanswered = await Promise.race([
      elsewhere.api.hello(request("http://127.0.0.1:1", "tab-x"), new MessageChannel().port2),
      new Promise((r) => setTimeout(() => r("no answer"), 700)),
    ]);
    expect(unanswered).toBe("no answer");
    expect(h.hub.tabCount).toBe(0);
  });
});

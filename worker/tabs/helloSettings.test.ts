import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "../../src/protocol";
import { DEFAULT_CACHE_SETTINGS, TAB_PROTOCOL_VERSION, type HelloRequest } from "../../src/shared";
import { DEFAULT_RECONNECT } from "../gateway/gatewayLink";
import { checkHello } from "./helloSettings";

const hello = (over: Partial<HelloRequest> = {}): HelloRequest => ({
  protocolVersion: PROTOCOL_VERSION,
  tabProtocolVersion: TAB_PROTOCOL_VERSION,
  buildId: "test",
  gatewayUrl: "http://127.0.0.1:1",
  lockName: null,
  tabId: "t1",
  ...over,
});
const check = (request: HelloRequest) => checkHello(request, null, new Set(), 16, DEFAULT_RECONNECT, null);

describe("a tab's hello settings", () => {
  it("the worker fills in every default the tab left out (the page sends only what the app set)", () => {
    expect(check(hello())).toEqual([DEFAULT_CACHE_SETTINGS, 10_000, 16, DEFAULT_RECONNECT]);
    expect(
      check(hello({ cache: { maxAgeMs: 5 }, reconnect: { firstDelayMs: 300 }, backlog: 500, batchMs: 0 })),
    ).toEqual([
      { ...DEFAULT_CACHE_SETTINGS, maxAgeMs: 5 },
      500,
      0,
      { firstDelayMs: 300, maxDelayMs: 30_000 },
    ]);
    expect(check(hello({ cache: false }))[0]).toBe(false);
    expect(check(hello({ devtools: true }))).toEqual(check(hello({ devtools: false })));
  });

  it("a value that is set but bad is bad_input, defaults or not", () => {
    for (const over of [
      { cache: null },
      { cache: "x" },
      { cache: { maxBytes: -1 } },
      { reconnect: { maxDelayMs: 10 } },
      { backlog: 5 },
      { batchMs: 1.5 },
      { devtools: "yes" },
      { devtools: 1 },
      // A gateway URL of another scheme, or one URL cannot read (the socket parses it with URL).
      { gatewayUrl: "ftp://gateway" },
      { gatewayUrl: "http://exa mple" },
      { gatewayUrl: "https://" },
    ] as Partial<HelloRequest>[])
      expect(() => check(hello(over))).toThrow(expect.objectContaining({ code: "bad_input" }));
  });
});

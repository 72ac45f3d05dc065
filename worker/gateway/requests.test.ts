import { describe, expect, it } from "vitest";
import type { ClientPayloads } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import type { GatewayLink } from "./gatewayLink";
import { Requests, type RequestSpec } from "./requests";

/** A link that records what is emitted; `up` says whether it is connected. */
function fakeLink() {
  const sent: { event: string; payload: { _id: number } }[] = [];
  const link = {
    up: true,
    state: { status: "connected", url: null, socketId: null, lastError: null },
    connect() {},
    close() {},
    emit(event: string, payload: unknown) {
      if (!link.up) return false;
      sent.push({ event, payload: payload as { _id: number } });
      return true;
    },
  };
  return { link: link as unknown as GatewayLink & { up: boolean }, sent };
}

const interpret = (
  over: Partial<RequestSpec<"interpret", string>> = {},
): RequestSpec<"interpret", string> => ({
  event: "interpret",
  needsAuth: false,
  retry: true,
  build: (_id) => ({ _id, guild_id: "1", message_id: "2", content: "x" }) as ClientPayloads["interpret"],
  collect: (event, payload) =>
    event === "interpret_return" ? { done: true, value: JSON.stringify(payload) } : { done: false },
  ...over,
});

function setup(token: string | null = "t.o.k") {
  const clock = createManualClock(0);
  const { link, sent } = fakeLink();
  const requests = new Requests({ link, clock, timeoutMs: 1000, token: () => token });
  requests.setConnected(true);
  requests.setAuthReady(true);
  return { clock, link, sent, requests };
}

describe("Requests", () => {
  it("correlates answers by _id, in any order", async () => {
    const { sent, requests } = setup();
    const a = requests.send(interpret());
    const b = requests.send(interpret());
    expect(sent.map((s) => s.payload._id)).toEqual([1, 2]);
    expect(requests.handleFrame("interpret_return", { _id: 2, x: "b" })).toBe(true);
    expect(requests.handleFrame("interpret_return", { _id: 1, x: "a" })).toBe(true);
    expect(await a).toBe('{"_id":1,"x":"a"}');
    expect(await b).toBe('{"_id":2,"x":"b"}');
    expect(requests.handleFrame("interpret_return", { _id: 1 })).toBe(false);
    expect(requests.pendingCount).toBe(0);
  });

  it("an error frame rejects with the gateway's code", async () => {
    const { requests } = setup();
    const p = requests.send(interpret());
    requests.handleFrame("error", { _id: 1, code: 403, message: "nope" });
    await expect(p).rejects.toMatchObject({ name: "GatewayError", code: 403, message: "nope" });
  });

  it("times out with a typed error and forgets the request", async () => {
    const { clock, requests } = setup();
    const p = requests.send(interpret());
    clock.advance(999);
    expect(requests.pendingCount).toBe(1);
    clock.advance(1);
    await expect(p).rejects.toMatchObject({ code: "timeout" });
    expect(requests.pendingCount).toBe(0);
  });

  it("holds requests while disconnected (nothing to socket.io's buffer) and re-sends idempotent ones after", async () => {
    const { link, sent, requests } = setup();
    const inFlight = requests.send(interpret());
    const once = requests.send(interpret({ retry: false }));
    link.up = false;
    requests.setConnected(false);
    await expect(once).rejects.toMatchObject({ code: "disconnected" });
    const queued = requests.send(interpret());
    expect(sent).toHaveLength(2);
    link.up = true;
    requests.setConnected(true);
    // The in-flight one again (new _id), then the queued one.
    expect(sent.slice(2).map((s) => s.payload._id)).toEqual([3, 4]);
    requests.handleFrame("interpret_return", { _id: 3 });
    requests.handleFrame("interpret_return", { _id: 4 });
    await expect(inFlight).resolves.toContain('"_id":3');
    await expect(queued).resolves.toContain('"_id":4');
  });

  it("authenticated requests wait for the elevation and fail without a token", async () => {
    const { sent, requests } = setup();
    requests.setAuthReady(false);
    const p = requests.send(interpret({ needsAuth: true }));
    expect(sent).toHaveLength(0);
    requests.setAuthReady(true);
    expect(sent).toHaveLength(1);
    requests.failAuthenticated(new GatewayError("not_authenticated", "logged out"));
    await expect(p).rejects.toMatchObject({ code: "not_authenticated" });
    const none = setup(null);
    await expect(none.requests.send(interpret({ needsAuth: true }))).rejects.toMatchObject({
      code: "not_authenticated",
    });
  });

  it("a collector that throws rejects with bad_frame", async () => {
    const { requests } = setup();
    const p = requests.send(
      interpret({
        collect: () => {
          throw new Error("expected interpret_return");
        },
      }),
    );
    requests.handleFrame("pool_response", { _id: 1 });
    await expect(p).rejects.toMatchObject({ code: "bad_frame" });
  });
});

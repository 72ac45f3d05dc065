import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterEach, describe, expect, it } from "vitest";
import { TRANSITIONS_KEPT, type ConnectionState } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { createGatewayLink, defaultSocketFactory, type GatewayLink } from "./gatewayLink";

let stop: (() => Promise<void>) | undefined;
let link: GatewayLink | undefined;
afterEach(async () => {
  link?.close();
  await stop?.();
  link = stop = undefined;
});

/** A real Socket.IO server whose middleware refuses the first `refusals` connections. */
async function refusingServer(refusals: number): Promise<{ url: string; attempts: () => number }> {
  const http = createServer();
  const io = new Server(http);
  let attempts = 0;
  io.use((_socket, next) => (++attempts <= refusals ? next(new Error("not now")) : next()));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  stop = () => new Promise((resolve) => void io.close(() => resolve()));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, attempts: () => attempts };
}

describe("gateway link", () => {
  it("a connection the server's middleware refuses is tried again (socket.io gives up), then connects", async () => {
    const server = await refusingServer(3);
    const states: ConnectionState[] = [];
    link = createGatewayLink(defaultSocketFactory, { frame: () => {}, status: (s) => states.push(s) });
    link.connect(server.url, { firstDelayMs: 20, maxDelayMs: 100 });
    await expect.poll(() => link?.state.status, { timeout: 5_000 }).toBe("connected");
    expect(server.attempts()).toBe(4);
    const refused = states.filter((s) => s.lastError === "not now");
    expect(refused.length).toBeGreaterThanOrEqual(3);
    // Never said to be disconnected for good while it was about to try again.
    expect(refused.every((s) => s.status === "reconnecting")).toBe(true);
  });

  it("close() cancels a retry that was scheduled", async () => {
    const server = await refusingServer(Infinity);
    const clock = createManualClock(0);
    const states: ConnectionState[] = [];
    link = createGatewayLink(defaultSocketFactory, { frame: () => {}, status: (s) => states.push(s) }, clock);
    link.connect(server.url, { firstDelayMs: 200, maxDelayMs: 200 });
    await expect.poll(() => states.some((s) => s.lastError === "not now"), { timeout: 5_000 }).toBe(true);
    link.close();
    clock.advance(1_000); // the retry's time has come: it was cancelled
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.attempts()).toBe(1);
    expect(link.state.status).toBe("idle");
  });

  it("says its transport while connected, when the next attempt starts while retrying, and keeps its transitions", async () => {
    const server = await refusingServer(1);
    const states: ConnectionState[] = [];
    link = createGatewayLink(defaultSocketFactory, { frame: () => {}, status: (s) => states.push(s) });
    link.connect(server.url, { firstDelayMs: 50, maxDelayMs: 50 });
    await expect.poll(() => link?.state.status, { timeout: 5_000 }).toBe("connected");
    // Refused once: our own retry said when it would try again.
    const refused = states.find((s) => s.lastError === "not now" && s.retryAt !== null);
    expect(refused?.status).toBe("reconnecting");
    expect(link.state).toMatchObject({ transport: "websocket", retryAt: null, lastError: null });

    // A dropped transport: socket.io's own backoff draws the delay, and it shows.
    const before = Date.now();
    link.drop();
    await expect.poll(() => link?.state.retryAt ?? null, { timeout: 5_000 }).not.toBeNull();
    expect(link.state).toMatchObject({
      status: "reconnecting",
      transport: null,
      lastError: "transport close",
    });
    expect(link.state.retryAt!).toBeGreaterThanOrEqual(before);
    expect(link.state.retryAt!).toBeLessThanOrEqual(Date.now() + 50);
    await expect.poll(() => link?.state.status, { timeout: 5_000 }).toBe("connected");
    expect(link.transitions.map((t) => [t.status, t.reason])).toEqual([
      ["connecting", null],
      ["reconnecting", "not now"],
      ["connected", null],
      ["reconnecting", "transport close"],
      ["connected", null],
    ]);
    expect(server.attempts()).toBe(3);
  });

  it(`keeps the last ${TRANSITIONS_KEPT} transitions`, async () => {
    const server = await refusingServer(0);
    link = createGatewayLink(defaultSocketFactory, { frame: () => {}, status: () => {} });
    link.connect(server.url, { firstDelayMs: 10, maxDelayMs: 10 });
    for (let i = 0; i < TRANSITIONS_KEPT; i++) {
      await expect.poll(() => link?.state.status, { timeout: 5_000 }).toBe("connected");
      link.drop();
    }
    await expect.poll(() => link?.state.status, { timeout: 5_000 }).toBe("connected");
    expect(link.transitions).toHaveLength(TRANSITIONS_KEPT);
    expect(link.transitions.at(-1)?.status).toBe("connected");
  });
});

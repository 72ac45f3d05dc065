import { afterEach, describe, expect, it } from "vitest";
import type { LogOtherPayload } from "../../../src/protocol";
import { startHarness, type Harness } from "../../gateway/test/harness";
import { connectClients, histogramPercentile } from "../benchClients";
import { connectLean, LeanClientError, readLogOther } from "../leanClient";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe("lean bench client (raw socket.io wire)", () => {
  it("reads the same seq and timestamp as socket.io-client and JSON.parse, for every entry", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: reference, token } = await h.userClient("dave");
    await reference.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    const seen: { seq: number; timestamp: number }[] = [];
    const lean = await connectLean({
      url: h.gateway.url,
      token,
      guildId: hub,
      onEntry: (seq, timestamp) => seen.push({ seq, timestamp }),
      onBadEntry: (frame) => expect.fail(`unreadable entry ${frame}`),
    });
    await h.gateway.activity.publish(hub, "message", 40);
    const last = h.gateway.context.events.since(`${hub}_logs`, 0)!.length;
    await reference.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === last);
    await expect.poll(() => seen.length).toBe(40);
    const expected = reference.frames
      .filter((f) => f.event === "log_other")
      .map((f) => f.payload as LogOtherPayload)
      .map((p) => ({ seq: p.seq, timestamp: p.action.timestamp }));
    expect(expected).toHaveLength(40);
    expect(seen).toEqual(expected);
    lean.close();
  });

  it("reports a socket the gateway disconnects after it spectated (onClose), once", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const token = await h.token("dave");
    const closes: LeanClientError[] = [];
    await connectLean({
      url: h.gateway.url,
      token,
      guildId: hub,
      onEntry: () => {},
      onClose: (e) => closes.push(e),
    });
    for (const socket of h.gateway.context.io.sockets.sockets.values()) socket.disconnect();
    await expect.poll(() => closes.length).toBe(1);
    expect(closes[0]).toMatchObject({ code: "closed", message: "the gateway disconnected the socket" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closes).toHaveLength(1);
  });

  it("fails with a typed error, never hangs: bad token, refused spectate, nothing listening", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const base = { url: h.gateway.url, guildId: hub, onEntry: () => {} };
    await expect(connectLean({ ...base, token: "not-a-jwt" })).rejects.toMatchObject({
      code: "refused",
      message: expect.stringContaining("gateway error"),
    });
    const token = await h.token("dave");
    const refused = connectLean({ ...base, token, guildId: "123" });
    await expect(refused).rejects.toBeInstanceOf(LeanClientError);
    await expect(refused).rejects.toMatchObject({ code: "refused" });
    await expect(connectLean({ ...base, token, url: "http://127.0.0.1:9" })).rejects.toMatchObject({
      code: "closed",
    });
  });

  it("readLogOther gives NaN for a frame without the keys, and a histogram has exact percentiles", () => {
    expect(readLogOther('42["log_other","{}"]')).toEqual({ seq: NaN, timestamp: NaN });
    expect(readLogOther('42["log_other","{\\"seq\\":17,\\"action\\":{\\"timestamp\\":1700}}"]')).toEqual({
      seq: 17,
      timestamp: 1700,
    });
    const histogram = new Map([
      [5, 50],
      [1, 49],
      [100, 1],
    ]);
    // Nearest rank: 99 of the 100 values are at most 5.
    expect(histogramPercentile(histogram, 0.49)).toBe(1);
    expect(histogramPercentile(histogram, 0.5)).toBe(5);
    expect(histogramPercentile(histogram, 0.99)).toBe(5);
    expect(histogramPercentile(histogram, 1)).toBe(100);
    expect(histogramPercentile(new Map(), 0.5)).toBeNaN();
  });

  it("connectClients spreads clients over child processes and counts every delivery once", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const token = await h.token("dave");
    for (const kind of ["lean", "socketio"] as const) {
      const clients = await connectClients(h.gateway.url, token, [hub], 6, { processes: 2, kind });
      try {
        await clients.reset();
        await h.gateway.activity.publish(hub, "message", 25);
        await expect.poll(async () => (await clients.collect()).delivered, { timeout: 10_000 }).toBe(6 * 25);
        expect(clients.spread).toEqual([3, 3]);
        expect(await clients.collect()).toMatchObject({ duplicates: 0, bad: 0, closed: 0 });
      } finally {
        await clients.close();
      }
    }
  }, 60_000);
});

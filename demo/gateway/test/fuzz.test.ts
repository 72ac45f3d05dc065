import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_EVENT_NAMES, type ErrorPayload } from "../../../src/protocol";
import { startHarness, type Harness } from "./harness";
import { malformedEmits } from "./malformedPayloads";

let h: Harness;
afterEach(async () => h?.stop());

const PER_EVENT = 10_000;

describe("malformed input", () => {
  it(`${PER_EVENT} malformed payloads of every event: each answered 4xx, no state changed, still serving`, async () => {
    h = await startHarness({ limits: { requestsPerSecond: 1e9 } });
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("dave");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    const before = h.gateway.stats();

    const ping = () =>
      c.ask("interpret", { guild_id: "1", message_id: "2", content: "!ping" }, "interpret_return");
    let sent = 0;
    const from = c.frames.length;
    for (const [n, event] of [...CLIENT_EVENT_NAMES, "no_such_event"].entries()) {
      const emits =
        event === "no_such_event"
          ? Array.from({ length: 100 }, (_, i) => [JSON.stringify({ _id: i + 1 })])
          : malformedEmits(event as (typeof CLIENT_EVENT_NAMES)[number], PER_EVENT, 1000 + n);
      for (const args of emits) {
        c.emitRaw(event, ...args);
        sent++;
        // A valid round trip now and then lets the socket drain instead of buffering 70k frames.
        if (sent % 2000 === 0) await ping();
      }
    }
    // Requests are answered in order: once this answer is in, every error before it is too.
    await ping();
    const errors = c.frames
      .slice(from)
      .filter((f) => f.event === "error")
      .map((f) => f.payload as ErrorPayload);
    expect(errors).toHaveLength(sent);
    const codes = new Map<number, number>();
    for (const e of errors) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    for (const code of codes.keys()) expect(code >= 400 && code < 500).toBe(true);
    expect(codes.get(400)).toBeGreaterThan(sent / 2);
    expect(codes.get(413)).toBeGreaterThan(0);
    expect(codes.has(500)).toBe(false);

    const after = h.gateway.stats();
    expect(after.sockets).toBe(before.sockets);
    expect(after.elevated).toBe(before.elevated);
    expect(after.rooms).toEqual(before.rooms);
    expect(after.topics).toEqual(before.topics);
    expect(c.socket.connected).toBe(true);
    // Still serving: real work on this socket and a new one.
    const r = await c.ask("pool_all_request", { token, type: "role", guild_id: hub }, "pool_response");
    expect(r.finished).toBe(true);
    const fresh = await h.client();
    await fresh.ask("interpret", { guild_id: "1", message_id: "2", content: "!ping" }, "interpret_return");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { ErrorPayload } from "../../../src/protocol";
import { createManualClock } from "./manualClock";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

describe("rate limiting", () => {
  it("beyond 200 requests/s a socket gets 429 for each excess request, with its _id; others unaffected", async () => {
    const clock = createManualClock(Date.now());
    h = await startHarness({ clock });
    const c = await h.client();
    const other = await h.client();
    const from = c.frames.length;
    for (let i = 1; i <= 250; i++)
      c.send("interpret", { _id: i, guild_id: "1", message_id: "2", content: "!ping" });
    await c.waitFor((f) => f.event === "error" && (f.payload as ErrorPayload)._id === 250, from);
    await c.waitFor(
      (f) => f.event === "interpret_return" && (f.payload as { _id: number })._id === 200,
      from,
    );
    const limited = c.of("error", from);
    expect(limited.map((e) => e._id)).toEqual(Array.from({ length: 50 }, (_, i) => 201 + i));
    expect(limited.every((e) => e.code === 429)).toBe(true);
    expect(c.of("interpret_return", from).map((r) => r._id)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    await other.ask("interpret", { guild_id: "1", message_id: "2", content: "!ping" }, "interpret_return");
    // A second later the bucket is full again.
    clock.advance(1000);
    await c.ask("interpret", { guild_id: "1", message_id: "2", content: "!ping" }, "interpret_return");
    expect(h.gateway.stats().errors["429"]).toBe(50);
  });
});

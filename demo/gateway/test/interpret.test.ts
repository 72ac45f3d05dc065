import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

describe("interpret", () => {
  it("works without login and echoes _id and guild_id", async () => {
    h = await startHarness();
    const c = await h.client();
    const r = await c.ask(
      "interpret",
      { guild_id: "42", message_id: "1000", content: "!ping" },
      "interpret_return",
    );
    expect(r).toMatchObject({
      guild_id: "42",
      actions: [{ action: 3001, message_id: "1001", content: "pong" }],
    });
    expect(h.gateway.stats().elevated).toBe(0);
  });

  it("runs the mock guild's auto responses", async () => {
    h = await startHarness();
    const c = await h.client();
    const r = await c.ask(
      "interpret",
      { guild_id: "42", message_id: "2", content: "hello there" },
      "interpret_return",
    );
    expect(r.actions).toEqual([{ action: 3001, message_id: "3", content: "hi there, you!" }]);
  });

  it("rejects odd message ids and real (non-mock) guild ids with 400", async () => {
    h = await startHarness();
    const c = await h.client();
    expect((await c.fails("interpret", { guild_id: "42", message_id: "3", content: "!ping" })).code).toBe(
      400,
    );
    expect((await c.fails("interpret", { guild_id: "10000000", message_id: "2", content: "x" })).code).toBe(
      400,
    );
  });
});

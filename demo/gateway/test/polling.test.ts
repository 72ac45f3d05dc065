import { Fetch } from "engine.io-client";
import { afterEach, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness";
import { TestClient } from "./testClient";

let h: Harness;
afterEach(async () => h?.stop());

it("serves a client that can only long-poll (a proxy that blocks WebSocket) like any other", async () => {
  h = await startHarness({ transports: ["polling"] });
  const c = new TestClient(h.gateway.url, [Fetch]);
  h.clients.push(c);
  await c.connected();
  expect(c.socket.io.engine.transport.name).toBe("polling");
  const r = await c.ask(
    "interpret",
    { guild_id: "42", message_id: "1000", content: "!ping" },
    "interpret_return",
  );
  expect(r.actions).toEqual([{ action: 3001, message_id: "1001", content: "pong" }]);
  expect(c.violations).toEqual([]);
});

import { describe, expect, it } from "vitest";
import type { PoolSnapshot } from "./poolSnapshot";
import { createGatewayClient } from "./connectGateway";
import { SETTINGS, createFakeEnvironment, flush, flushUntil } from "./test/fakeEnvironment";

const ready = (id: string) => ({
  reset: true,
  upsert: [{ id }],
  remove: [],
  nonexistent: [],
  status: "ready",
  loaded: 1,
  total: 1,
  error: null,
  source: "network",
  stale: false,
  savedAt: null,
});

describe("a tab's calls take effect in the order it made them", () => {
  it("a pool subscribed after login(B), not awaited, never shows the value held before it", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    const seenBefore: PoolSnapshot<{ id: string }>[] = [];
    client
      .pool("guild")
      .all$()
      .subscribe({ next: (s) => seenBefore.push(s), error: () => {} });
    await flushUntil(() => (fake.connections[0]?.calls("subscribe").length ?? 0) > 0);
    const conn = fake.connections[0]!;
    const [[aliceSub]] = conn.calls("subscribe") as [[number]];
    conn.deliver([{ s: aliceSub, t: "pool", d: ready("alice-guild") as never }]);
    await flushUntil(() => seenBefore.length > 0);

    void client.login("b.token.x");
    const seenAfter: PoolSnapshot<{ id: string }>[] = [];
    client
      .pool("guild")
      .all$()
      .subscribe({ next: (s) => seenAfter.push(s), error: () => {} });
    await flushUntil(() => conn.calls("subscribe").length > 1);
    await flush();
    // Nothing replayed: a worker subscription of its own, asked after the login.
    expect(seenAfter).toEqual([]);
    const order = conn.received.map((r) => r.method).filter((m) => m === "login" || m === "subscribe");
    expect(order).toEqual(["subscribe", "login", "subscribe"]);
    const [, [bobSub]] = conn.calls("subscribe") as [[number], [number]];
    expect(bobSub).not.toBe(aliceSub);
    conn.deliver([{ s: bobSub, t: "pool", d: ready("bob-guild") as never }]);
    await flushUntil(() => seenAfter.length > 0);
    expect(seenAfter.map((s) => s.entities.map((e) => e.id))).toEqual([["bob-guild"]]);
    await client.close();
  });

  it("setTokenRefresher with something else than a function or null: bad_input, nothing sent", async () => {
    const fake = createFakeEnvironment();
    const client = createGatewayClient(SETTINGS, fake.env);
    await client.ready;
    for (const bad of ["x", 42, undefined, {}])
      await expect(client.setTokenRefresher(bad as never)).rejects.toMatchObject({
        name: "GatewayError",
        code: "bad_input",
      });
    expect(fake.connections[0]!.calls("setRefresher")).toEqual([]);
    await client.setTokenRefresher(null);
    expect(fake.connections[0]!.calls("setRefresher")).toEqual([[null]]);
    await client.close();
  });
});

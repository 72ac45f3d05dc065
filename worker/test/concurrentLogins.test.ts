import { afterEach, describe, expect, it } from "vitest";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

describe("hub: logins at once", () => {
  it("logins of the same user coalesce: every caller resolves with the session (same or fresh token)", async () => {
    h = await startHubHarness();
    const tabs = [h.tab(), h.tab(), h.tab()];
    const token = await h.gw.token("alice");
    const newer = await h.gw.token("alice", 7200);
    const sessions = await Promise.all([
      ...tabs.map((tab) => h.hub.login(tab.id, token)),
      h.hub.login(tabs[0]!.id, newer),
    ]);
    for (const session of sessions)
      expect(session).toMatchObject({ status: "authenticated", userId: h.gw.userId("alice") });
    // The latest token is the one in use.
    expect(h.hub.session.currentToken()).toBe(newer);
    expect(h.gw.gateway.stats().elevated).toBe(1);
  });

  it("another user's login supersedes one in flight", async () => {
    h = await startHubHarness();
    const [a, b] = [h.tab(), h.tab()];
    const first = h.hub.login(a.id, await h.gw.token("alice"));
    const second = h.hub.login(b.id, await h.gw.token("carol"));
    await expect(first).rejects.toMatchObject({ code: "not_authenticated" });
    await expect(second).resolves.toMatchObject({ status: "authenticated", userId: h.gw.userId("carol") });
  });
  it("two logins as B in a row after A still drop A's pools", async () => {
    h = await startHubHarness();
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("dave"));
    const midnight = h.gw.guildId("Midnight Guild");
    const s = a.subscribe({ kind: "pool", type: "role", guildId: midnight, ids: "all" });
    await a.until(() => a.pools.get(s)?.last?.status === "ready");
    const bob = await h.gw.token("bob");
    await Promise.all([h.hub.login(a.id, bob).catch(() => null), h.hub.login(a.id, bob)]);
    await a.until(() => a.pools.get(s)?.last?.status === "error");
    expect(a.pool(s).entities.size).toBe(0);
    expect(a.pool(s).last?.error?.code).toBe(403);
  });
});

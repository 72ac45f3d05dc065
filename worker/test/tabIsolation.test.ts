import { afterEach, describe, expect, it } from "vitest";
import { TOKEN_ITEM, type SpectatingState } from "../../src/shared";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

describe("hub: tabs of one worker", () => {
  it("a tab's input is never reflected into another tab: each receives only its own subscriptions", async () => {
    h = await startHubHarness();
    const [a, b] = [h.tab(), h.tab()];
    const small = h.gw.guildId("Small Talk");
    await h.hub.login(a.id, await h.gw.token("alice"));
    // b subscribes to the shared state only; a asks for pools, a search, logs and a guild.
    const bIds = [b.subscribe({ kind: "session" }), b.subscribe({ kind: "spectating" })];
    a.subscribe({ kind: "pool", type: "role", guildId: small, ids: "all" });
    a.subscribe({ kind: "search", guildId: small, query: "<script>alert(1)</script>", limit: 5 });
    a.subscribe({ kind: "logs", guildId: small });
    await h.hub.spectate(a.id, small, {});
    await h.gw.gateway.activity.publish(small, "message", 5);
    await a.until(() => [...a.logs.values()].some((l) => l.length === 5));
    await b.until(() => b.latest<SpectatingState>(bIds[1]!)?.guildId === small);
    const seen = new Set(b.batches.flat().map((item) => item.s));
    // Besides its own: the session's token, which every tab holds (TOKEN_ITEM), and nothing else.
    expect([...seen].sort()).toEqual([TOKEN_ITEM, ...bIds].sort());
    // b sees which guild the connection spectates, not what a asked for as its own.
    const state = b.latest<SpectatingState>(bIds[1]!);
    expect(state).toMatchObject({ guildId: small, mine: false, wanted: null });
  });
});

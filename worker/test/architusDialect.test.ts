import { afterEach, describe, expect, it } from "vitest";
import type { Member } from "../../src/protocol";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

describe("hub: what archit.us's gateway sends", () => {
  it("one malformed member fails only itself: the rest of its chunk and pool load, it is counted", async () => {
    h = await startHubHarness();
    const guild = h.gw.guildId("Small Talk");
    const members = h.gw.gateway.context.dataset.guilds.get(guild)!.pools.member;
    const [victim] = [...members.values()];
    // What an older gateway might send: joined_at as a number.
    members.set(victim!.id, { ...victim!, joined_at: 1558056225678 } as unknown as Member);
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("alice"));
    const sub = a.subscribe({ kind: "pool", type: "member", guildId: guild, ids: "all" });
    await a.until(() => a.pools.get(sub)?.last?.status === "ready");
    expect(a.pool(sub).entities.size).toBe(members.size - 1);
    expect(a.pool(sub).entities.has(victim!.id)).toBe(false);
    expect(h.hub.diagnostics().counters).toMatchObject({ badEntities: 1 });
    expect(h.hub.diagnostics().counters.badFrames ?? 0).toBe(0);
    // The others carry joined_at as the ISO 8601 string archit.us sends.
    for (const m of a.pool(sub).entities.values())
      expect((m as Member).joined_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("interpret answers with archit.us's numeric actions", async () => {
    h = await startHubHarness();
    const a = h.tab();
    const r = await h.hub.interpret(a.id, { guild_id: "7", message_id: "2", content: "!ping" });
    expect(r.actions).toEqual([{ action: 3001, message_id: "3", content: "pong" }]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { dropSockets } from "../../demo/gateway/context";
import type { Guild } from "../../src/protocol";
import type { SessionState, SpectatingState } from "../../src/shared";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

describe("hub: a login of another user that fails", () => {
  it("not refused but cut off: the socket's user keeps the session, their pools and their guild", async () => {
    h = await startHubHarness();
    const a = h.tab();
    const small = h.gw.guildId("Small Talk");
    const session = a.subscribe({ kind: "session" });
    const spectating = a.subscribe({ kind: "spectating" });
    await h.hub.login(a.id, await h.gw.token("alice"));
    await h.hub.spectate(a.id, small, {});
    const guilds = a.subscribe({ kind: "pool", type: "guild", guildId: null, ids: "all" });
    await a.until(() => a.pools.get(guilds)?.last?.status === "ready");
    const aliceGuilds = [...a.pool(guilds).entities.keys()].sort();

    const carol = h.hub.login(a.id, await h.gw.token("carol"));
    // The connection drops before the gateway answers the elevation.
    dropSockets(h.gw.gateway.context);
    await expect(carol).rejects.toMatchObject({ code: "disconnected" });

    await a.until(() => a.latest<SessionState>(session)?.status === "authenticated", 10_000);
    expect(a.latest<SessionState>(session)).toMatchObject({ userId: h.gw.userId("alice") });
    await a.until(() => a.latest<SpectatingState>(spectating)?.guildId === small, 10_000);
    await a.until(() => a.pools.get(guilds)?.last?.status === "ready", 10_000);
    expect([...a.pool(guilds).entities.keys()].sort()).toEqual(aliceGuilds);
    expect((a.pool(guilds).entities.get(aliceGuilds[0]!) as Guild).id).toBe(aliceGuilds[0]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { BAD_FRAME_EVENTS, malformedFrame } from "../../demo/gateway/badFrames";
import { createRandom } from "../../demo/gateway/dataset/random";
import type { Entity } from "../../src/protocol";
import type { SpectatingState } from "../../src/shared";
import { routeFrame } from "../gateway/routeFrame";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

const PER_EVENT = 2_000;

describe("hub: hostile frames from the gateway", () => {
  it(`${PER_EVENT} malformed frames of every server event and unknown events: nothing reaches a tab, nothing changes, all counted`, async () => {
    h = await startHubHarness();
    const guild = h.gw.guildId("Small Talk");
    const other = h.gw.guildId("Tiny Test");
    const a = h.tab();
    await h.hub.login(a.id, await h.gw.token("alice"));
    const spectating = a.subscribe({ kind: "spectating" });
    const pool = a.subscribe({ kind: "pool", type: "autoResponse", guildId: guild, ids: "all" });
    const logs = a.subscribe({ kind: "logs", guildId: guild });
    await h.hub.spectate(a.id, guild, {});
    await a.until(() => a.latest<SpectatingState>(spectating)?.includeLogs === true);
    await a.until(() => a.pools.get(pool)?.last?.status === "ready");
    await h.gw.gateway.activity.publish(guild, "message", 20);
    await a.until(() => (a.logs.get(logs)?.length ?? 0) === 20);
    // Seqs that go backwards or repeat: at most what the worker holds.
    const seqs = {
      pool: h.hub.spectator.poolSeqOf(guild) ?? 0,
      logs: h.gw.gateway.context.events.latest(`${guild}_logs`),
    };

    const entitiesBefore = JSON.stringify([...a.pool(pool).entities.values()] as Entity[]);
    const batchesBefore = a.batches.length;
    const countersBefore = { ...h.hub.diagnostics().counters };
    const rng = createRandom(42);
    let sent = 0;
    for (const event of BAD_FRAME_EVENTS)
      for (let i = 0; i < PER_EVENT; i++) {
        // Never throws into the socket's event handler.
        expect(() => routeFrame(h.hub, event, malformedFrame(rng, event, guild, other, seqs))).not.toThrow();
        sent++;
      }
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(a.batches.slice(batchesBefore)).toEqual([]); // no tab received any of it
    expect(JSON.stringify([...a.pool(pool).entities.values()])).toBe(entitiesBefore);
    expect(a.logs.get(logs)).toHaveLength(20);
    const after = h.hub.diagnostics();
    const counted = ["badFrames", "staleFrames", "orphanFrames", "duplicateFrames", "gatewayErrors"]
      .map((k) => (after.counters[k] ?? 0) - (countersBefore[k] ?? 0))
      .reduce((x, y) => x + y, 0);
    expect(counted).toBe(sent);
    expect(after.connection.status).toBe("connected");
    expect(h.hub.session.state.status).toBe("authenticated");
    expect(h.hub.spectator.guildId).toBe(guild);
    // And it still works.
    await h.gw.gateway.activity.publish(guild, "message", 5);
    await a.until(() => (a.logs.get(logs)?.length ?? 0) === 25);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { LogOtherPayload, LogPoolPayload } from "../../../src/protocol";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

describe("replay after a seq gap", () => {
  it("spectate with since replays exactly what was missed, then live events continue", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("dave");
    await c.ask("spectate", { token, guild_id: hub, include_logs: true }, "spectate_return");
    await h.gateway.activity.publish(hub, "message", 5);
    await h.gateway.activity.publish(hub, "pool_update", 3);
    await c.waitFor((f) => f.event === "log_pool" && (f.payload as LogPoolPayload).seq === 3);
    await c.ask("spectate", { token, guild_id: null, include_logs: false }, "spectate_return");

    // Missed while away.
    await h.gateway.activity.publish(hub, "message", 7);
    await h.gateway.activity.publish(hub, "pool_update", 4);
    const missedLogs = h.gateway.context.events.since(`${hub}_logs`, 5)!.map((e) => e.payload);
    const missedPool = h.gateway.context.events.since(hub, 3)!.map((e) => e.payload);

    const from = c.frames.length;
    const ret = await c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: true, since: { pool: 3, logs: 5 } },
      "spectate_return",
    );
    expect(ret).toMatchObject({ pool_seq: 7, logs_seq: 12, replayed: 11 });
    await c.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 12, from);
    const replayed = c.frames.slice(from).filter((f) => f.event === "log_pool" || f.event === "log_other");
    expect(replayed.filter((f) => f.event === "log_pool").map((f) => f.raw)).toEqual(missedPool);
    expect(replayed.filter((f) => f.event === "log_other").map((f) => f.raw)).toEqual(missedLogs);
    // The return frame came before the replay.
    const retIndex = c.frames.findIndex((f, i) => i >= from && f.event === "spectate_return");
    expect(c.frames.findIndex((f, i) => i >= from && f.event === "log_pool")).toBeGreaterThan(retIndex);

    await h.gateway.activity.publish(hub, "message", 1);
    const live = await c.waitFor(
      (f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 13,
      from,
    );
    expect(live).toBeDefined();
  });

  it("replays only what the socket may see", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("bob");
    await h.gateway.activity.publish(hub, "private_message", 4);
    await h.gateway.activity.publish(hub, "message", 2);
    const ret = await c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: true, since: { logs: 0 } },
      "spectate_return",
    );
    expect(ret.replayed).toBe(2);
    await c.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 6);
    expect(c.of("log_other").map((e) => [e.seq, e.action.private])).toEqual([
      [5, false],
      [6, false],
    ]);
  });

  it("answers replayed: -1 when the gap is older than the last 1,000 events (or ahead)", async () => {
    h = await startHarness();
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("dave");
    await h.gateway.activity.publish(hub, "message", 1100);
    const from = c.frames.length;
    const tooOld = await c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: true, since: { logs: 50 } },
      "spectate_return",
    );
    expect(tooOld).toMatchObject({ replayed: -1, logs_seq: 1100 });
    const edge = await c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: true, since: { logs: 100 } },
      "spectate_return",
    );
    expect(edge.replayed).toBe(1000);
    const ahead = await c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: true, since: { logs: 5000 } },
      "spectate_return",
    );
    expect(ahead.replayed).toBe(-1);
    await c.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 1100, from);
    expect(c.of("log_other", from)).toHaveLength(1000);
  });
});

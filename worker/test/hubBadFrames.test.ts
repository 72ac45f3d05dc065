import { afterEach, describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../demo/gateway/dataset/random";
import { SERVER_EVENT_NAMES, type Entity } from "../../src/protocol";
import type { SpectatingState } from "../../src/shared";
import { routeFrame } from "../routeFrame";
import { startHubHarness, type HubHarness } from "./hubHarness";

let h: HubHarness;
afterEach(async () => h?.stop());

const PER_EVENT = 2_000;

/** Values of every wrong kind, for any field. */
const JUNK: unknown[] = [
  null,
  undefined,
  true,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  "",
  "x".repeat(70_000),
  "not a snowflake",
  [],
  [1, 2],
  {},
  { nested: { deep: [null] } },
];

/**
 * A frame of `event` the gateway should never send: a plausible payload with one field broken,
 * a payload that is not a JSON string, JSON that is not an object, an unknown `_id`, a seq that
 * goes backwards or repeats, entities of another pool type or guild, or a guild not spectated.
 */
function malformed(
  rng: Random,
  event: string,
  guild: string,
  other: string,
  seqs: { pool: number; logs: number },
): unknown {
  const base: Record<string, Record<string, unknown>> = {
    request_elevation_return: { _id: 999_999, success: true },
    drop_elevation_return: { _id: 999_999, success: true },
    interpret_return: {
      _id: 999_999,
      guild_id: "7",
      actions: [{ action: 3001, message_id: "3", content: "x" }],
    },
    spectate_return: {
      _id: 999_999,
      success: true,
      guild_id: guild,
      include_logs: true,
      pool_seq: 1,
      logs_seq: 1,
      replayed: 0,
    },
    pool_response: { _id: 999_999, type: "role", guild_id: other, data: [], nonexistent: [], finished: true },
    log_pool: {
      guild_id: rng.pick([guild, other]),
      seq: rng.int(0, seqs.pool),
      action: {
        id: "1",
        action_number: 30,
        timestamp: 1,
        guild_id: guild,
        private: false,
        reversible: false,
      },
      updates: [{ type: rng.pick(["member", "role", "nope"]), op: "update", id: "1", entity: { id: "2" } }],
    },
    log_other: {
      guild_id: rng.pick([guild, other]),
      seq: rng.int(0, seqs.logs),
      action: {
        id: "1",
        action_number: 3001,
        timestamp: 1,
        guild_id: guild,
        private: false,
        reversible: false,
      },
    },
    error: { _id: 999_999, code: rng.pick([400, 418, 500]), message: "x" },
    session_expired: { reason: 5 },
  };
  const payload = { ...(base[event] ?? { anything: 1 }) };
  switch (rng.int(0, 5)) {
    case 0:
      return rng.pick(JUNK); // not a string at all
    case 1:
      return JSON.stringify(rng.pick(JUNK)) ?? "undefined";
    case 2:
      return "{not json";
    default: {
      const keys = Object.keys(payload);
      const key = keys.length > 0 ? rng.pick(keys) : "x";
      if (event === "session_expired") payload.reason = rng.pick(JUNK.filter((j) => typeof j !== "string"));
      else if (rng.int(0, 1) === 0) payload[key] = rng.pick(JUNK);
      return JSON.stringify(payload);
    }
  }
}

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
    for (const event of [...SERVER_EVENT_NAMES, "no_such_event", "__proto__"])
      for (let i = 0; i < PER_EVENT; i++) {
        // Never throws into the socket's event handler.
        expect(() => routeFrame(h.hub, event, malformed(rng, event, guild, other, seqs))).not.toThrow();
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

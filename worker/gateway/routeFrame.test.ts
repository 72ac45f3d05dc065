import { describe, expect, it } from "vitest";
import type { LogAction, LogOtherPayload, LogPoolPayload } from "../../src/protocol";
import type { GatewayError } from "../../src/shared";
import { Counters } from "../counters";
import { GuildSeqs } from "../spectate/guildSeqs";
import { routeFrame, type FrameDeps } from "./routeFrame";

const action = (seq: number, guild = "7"): LogAction => ({
  id: String(1000 + seq),
  action_number: 3001,
  timestamp: 1_700_000_000_000 + seq,
  guild_id: guild,
  private: false,
  reversible: false,
  content: `entry ${seq}`,
});
const logOther = (seq: number, guild = "7"): LogOtherPayload => ({
  guild_id: guild,
  seq,
  action: action(seq, guild),
});
const logPool = (seq: number, guild = "7"): LogPoolPayload => ({
  guild_id: guild,
  seq,
  action: action(seq, guild),
  updates: [{ type: "role", op: "remove", id: String(seq) }],
});

/** Routing over fakes: a spectator on real seq bookkeeping that accepts guild 7 only. */
function route(options: { asking?: boolean } = {}) {
  const seqs = new GuildSeqs();
  const counters = new Counters();
  const seen = {
    pool: [] as number[],
    logs: [] as string[],
    failed: [] as [number, string][],
    frames: [] as string[],
  };
  let expired = 0;
  const deps: FrameDeps = {
    counters,
    spectator: {
      accepts: (guildId) => guildId === "7",
      takePool: (guildId, seq) => seqs.takePool(guildId, seq, options.asking ?? false),
      takePresence: () => "apply",
      seqs,
      poolApplied: (guildId, seq) => seqs.poolApplied(guildId, seq),
      presenceApplied: () => {},
    },
    pools: { applyLogPool: (e) => void seen.pool.push(e.seq), applyPresence: () => {} },
    logs: { entry: (_guildId, raw) => void seen.logs.push(raw) },
    requests: {
      fail: (id, error: GatewayError) => void seen.failed.push([id, error.code as string]),
      handleFrame: (event) => {
        seen.frames.push(event);
        return event === "pool_response";
      },
    },
    expired: () => void expired++,
  };
  const send = (event: string, payload: unknown) => routeFrame(deps, event, JSON.stringify(payload));
  return { send, seen, counters: counters.values, seqs, expired: () => expired };
}

describe("routeFrame", () => {
  it("applies pool events in seq order: duplicates dropped, a gap counted and not applied", () => {
    const r = route();
    for (const seq of [1, 2, 2, 1, 3, 5]) r.send("log_pool", logPool(seq));
    expect(r.seen.pool).toEqual([1, 2, 3]);
    expect(r.counters).toMatchObject({ duplicateFrames: 2, gaps: 1 });
    expect(r.seqs.poolOf("7")).toBe(3);
  });

  it("while a spectate of the guild is on its way, frames beyond what is held wait for its replay", () => {
    const r = route({ asking: true });
    r.send("log_pool", logPool(1));
    r.send("log_pool", logPool(3));
    expect(r.seen.pool).toEqual([1]);
    expect(r.counters.aheadFrames).toBe(1);
  });

  it("log entries reach the fan-out once each, as the gateway's own string; other guilds' are stale", () => {
    const r = route();
    r.send("log_other", logOther(4));
    r.send("log_other", logOther(4));
    r.send("log_other", logOther(9, "8"));
    expect(r.seen.logs).toEqual([JSON.stringify(logOther(4))]);
    expect(r.counters).toMatchObject({ duplicateFrames: 1, staleFrames: 1 });
  });

  it("a batch is taken entry by entry: a malformed one, or one of another guild, is dropped alone", () => {
    const r = route();
    r.send("log_batch", {
      guild_id: "7",
      pool: [logPool(1), { ...logPool(2), guild_id: "8" }, logPool(2)],
      logs: [logOther(1), { guild_id: "7", seq: "x" }, logOther(2)],
    });
    expect(r.seen.pool).toEqual([1, 2]);
    expect(r.seen.logs.map((raw) => (JSON.parse(raw) as LogOtherPayload).seq)).toEqual([1, 2]);
    expect(r.counters.badFrames).toBe(2);
  });

  it("malformed updates are dropped one by one; the rest of the event applies", () => {
    const r = route();
    r.send("log_pool", {
      ...logPool(1),
      updates: [{ type: "role", op: "explode", id: "1" }, ...logPool(1).updates],
    });
    expect(r.seen.pool).toEqual([1]);
    expect(r.counters.badUpdates).toBe(1);
  });

  it("a malformed answer fails the request it names; unknown events are bad frames; nothing throws", () => {
    const r = route();
    r.send("pool_response", { _id: 12, type: "nonsense" });
    r.send("__proto__", {});
    expect(() => r.send("log_pool", "not an object")).not.toThrow();
    expect(r.seen.failed).toEqual([[12, "bad_frame"]]);
    expect(r.counters.badFrames).toBe(3);
  });

  it("answers go to the request waiting for them, orphans and errors are counted, expiry is told", () => {
    const r = route();
    r.send("pool_response", { _id: 1, type: "role", data: [], finished: true, nonexistent: [] });
    r.send("pool_response", { _id: 2, type: "role", data: [], nonexistent: [], finished: true });
    r.send("error", { _id: 99, code: 403, message: "no" });
    r.send("session_expired", { reason: "expired" });
    expect(r.seen.frames).toEqual(["pool_response", "pool_response", "error"]);
    expect(r.counters.gatewayErrors).toBe(1);
    expect(r.counters.badFrames).toBeUndefined();
    expect(r.expired()).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import {
  INITIAL_SPECTATE,
  NOTHING_SPECTATED,
  inFlight,
  nextSpectate,
  synced,
  type SpectateState,
  type Target,
} from "./spectateMachine";

const G7: Target = { guildId: "7", includeLogs: true, includePresence: false };
const G8: Target = { guildId: "8", includeLogs: false, includePresence: true };
const spectating7 = { ...G7, logsRefused: false };
const idle7: SpectateState = { now: { phase: "idle" }, spectated: spectating7 };
const asking = (target: Target): SpectateState => ({
  now: { phase: "asking", target },
  spectated: NOTHING_SPECTATED,
});
const check = (target: Target, over: { authenticated?: boolean; restoring?: boolean } = {}) =>
  ({
    type: "check",
    target,
    authenticated: over.authenticated ?? true,
    restoring: over.restoring ?? false,
  }) as const;

describe("spectate machine: check", () => {
  it("settles when the connection spectates what is wished", () => {
    expect(nextSpectate(idle7, check(G7))).toEqual({ state: idle7, effects: [{ type: "settled" }] });
  });

  it("settles without asking while not authenticated", () => {
    const next = nextSpectate(INITIAL_SPECTATE, check(G7, { authenticated: false }));
    expect(next).toEqual({ state: INITIAL_SPECTATE, effects: [{ type: "settled" }] });
  });

  it("asks for a target that differs (and says so)", () => {
    const next = nextSpectate(idle7, check(G8));
    expect(next.state).toEqual({ now: { phase: "asking", target: G8 }, spectated: spectating7 });
    expect(next.effects).toEqual([{ type: "ask", target: G8 }, { type: "changed" }]);
  });

  it("waits for the guild's cache reads first, frames of the guild taken meanwhile", () => {
    const next = nextSpectate(INITIAL_SPECTATE, check(G7, { restoring: true }));
    expect(next.state.now).toEqual({ phase: "restoring", target: G7 });
    expect(next.effects).toEqual([{ type: "awaitRestore", guildId: "7" }]);
    expect(inFlight(next.state)).toEqual(G7);
  });

  it("asks for no guild at once (nothing to restore)", () => {
    const none: Target = { guildId: null, includeLogs: false, includePresence: true };
    const next = nextSpectate(INITIAL_SPECTATE, check(none, { restoring: true }));
    expect(next.state.now).toEqual({ phase: "asking", target: none });
  });

  it("does nothing while something is on its way: its end compares again", () => {
    for (const now of [
      { phase: "asking", target: G7 },
      { phase: "restoring", target: G7 },
      { phase: "dropped" },
    ] as const) {
      const state: SpectateState = { now, spectated: NOTHING_SPECTATED };
      expect(nextSpectate(state, check(G8))).toEqual({ state, effects: [] });
    }
  });

  it("does not ask a refused target again; another target is asked", () => {
    const refused: SpectateState = { now: { phase: "refused", target: G8 }, spectated: spectating7 };
    expect(nextSpectate(refused, check(G8)).effects).toEqual([{ type: "settled" }]);
    expect(nextSpectate(refused, check({ ...G8, includeLogs: true })).effects[0]).toEqual({
      type: "ask",
      target: { ...G8, includeLogs: true },
    });
  });
});

describe("spectate machine: the answer and its failure", () => {
  it("answered: what the gateway spectates changes, the target is compared again", () => {
    const spectated = { ...G8, logsRefused: false };
    const next = nextSpectate(asking(G8), { type: "answered", spectated });
    expect(next.state).toEqual({ now: { phase: "idle" }, spectated });
    expect(next.effects).toEqual([{ type: "changed" }, { type: "recheck" }]);
  });

  it("failed: the target is refused (not asked in a loop), compared again", () => {
    const next = nextSpectate(asking(G8), { type: "failed", authLost: false });
    expect(next.state.now).toEqual({ phase: "refused", target: G8 });
    expect(next.effects).toEqual([{ type: "changed" }, { type: "recheck" }]);
  });

  it("failed for want of a session: settles (nothing can be asked)", () => {
    const next = nextSpectate(asking(G8), { type: "failed", authLost: true });
    expect(next.state.now).toEqual({ phase: "refused", target: G8 });
    expect(next.effects).toEqual([{ type: "changed" }, { type: "settled" }]);
  });

  it("an answer or failure after a reset no longer counts; the loop compares again", () => {
    const dropped: SpectateState = { now: { phase: "dropped" }, spectated: NOTHING_SPECTATED };
    const answered = nextSpectate(dropped, { type: "answered", spectated: spectating7 });
    expect(answered.state).toEqual({ now: { phase: "idle" }, spectated: NOTHING_SPECTATED });
    expect(answered.effects).toEqual([{ type: "recheck" }]);
    const failed = nextSpectate(dropped, { type: "failed", authLost: true });
    expect(failed).toEqual(answered);
  });

  it("answers and failures with nothing asked change nothing", () => {
    expect(nextSpectate(idle7, { type: "answered", spectated: NOTHING_SPECTATED })).toEqual({
      state: idle7,
      effects: [],
    });
    expect(nextSpectate(idle7, { type: "failed", authLost: false })).toEqual({ state: idle7, effects: [] });
  });
});

describe("spectate machine: restore, rewish, gap, reset", () => {
  it("restored: the spectate goes now (compared again); late ones change nothing", () => {
    const restoring: SpectateState = {
      now: { phase: "restoring", target: G7 },
      spectated: NOTHING_SPECTATED,
    };
    expect(nextSpectate(restoring, { type: "restored" })).toEqual({
      state: { now: { phase: "idle" }, spectated: NOTHING_SPECTATED },
      effects: [{ type: "recheck" }],
    });
    expect(nextSpectate(idle7, { type: "restored" })).toEqual({ state: idle7, effects: [] });
    expect(nextSpectate(asking(G7), { type: "restored" }).effects).toEqual([]);
  });

  it("rewish: a refused target may be asked again; nothing else changes", () => {
    const refused: SpectateState = { now: { phase: "refused", target: G8 }, spectated: spectating7 };
    expect(nextSpectate(refused, { type: "rewish" }).state).toEqual(idle7);
    expect(nextSpectate(asking(G8), { type: "rewish" }).state).toEqual(asking(G8));
  });

  it("gap: nothing counts as spectated any more, so the guild is asked again", () => {
    const next = nextSpectate(idle7, { type: "gap" });
    expect(next.state).toEqual({ now: { phase: "idle" }, spectated: NOTHING_SPECTATED });
    expect(next.effects).toEqual([{ type: "recheck" }]);
  });

  it("reset: nothing spectated; a spectate or cache wait on its way is dropped", () => {
    const refused: SpectateState = { now: { phase: "refused", target: G8 }, spectated: spectating7 };
    for (const state of [idle7, refused])
      expect(nextSpectate(state, { type: "reset" })).toEqual({
        state: { now: { phase: "idle" }, spectated: NOTHING_SPECTATED },
        effects: [{ type: "changed" }],
      });
    const restoring: SpectateState = { now: { phase: "restoring", target: G7 }, spectated: spectating7 };
    for (const state of [asking(G7), restoring]) {
      const next = nextSpectate(state, { type: "reset" });
      expect(next.state).toEqual({ now: { phase: "dropped" }, spectated: NOTHING_SPECTATED });
      expect(inFlight(next.state)).toBeNull();
    }
  });
});

describe("synced", () => {
  it("logs refused by the gateway count as granted; presence must match for a guild", () => {
    const refusedLogs: SpectateState = {
      now: { phase: "idle" },
      spectated: { ...G7, includeLogs: false, logsRefused: true },
    };
    expect(synced(refusedLogs, G7)).toBe(true);
    expect(synced({ ...refusedLogs, spectated: { ...refusedLogs.spectated, logsRefused: false } }, G7)).toBe(
      false,
    );
    expect(synced(idle7, { ...G7, includePresence: true })).toBe(false);
  });

  it("no guild: presence matters only when asked for and not had", () => {
    const none: Target = { guildId: null, includeLogs: false, includePresence: false };
    const probing = { ...none, includePresence: true };
    expect(synced(INITIAL_SPECTATE, none)).toBe(true);
    expect(synced(INITIAL_SPECTATE, probing)).toBe(false);
    const had: SpectateState = {
      now: { phase: "idle" },
      spectated: { ...NOTHING_SPECTATED, includePresence: true },
    };
    expect(synced(had, none)).toBe(true);
  });
});

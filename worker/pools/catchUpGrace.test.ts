import { describe, expect, it } from "vitest";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { revalidate, type CatchUpGraces } from "./catchUpGrace";
import { PoolStore } from "./poolStore";

/** A guild pool restored from a copy at seq 5, stale, one tab listening. */
function restoredPool(): PoolStore {
  const store = new PoolStore("role", "7", null);
  store.dispatch({ type: "restored", data: [], count: 0, nonexistent: [], whole: true, savedAt: 1 });
  store.restoredSeq = 5;
  store.listen(() => {});
  return store;
}

const spectatorThat = (state: { canCatchUp: boolean; catchingUp: boolean }) => ({
  wishedGuildId: "7",
  failedFor: () => false,
  canCatchUp: () => state.canCatchUp,
  catchingUp: () => state.catchingUp,
});

describe("revalidating a restored pool", () => {
  it("its guild's spectate answered, the replay on its way: it waits for the replay, not a whole reload", () => {
    const clock = createManualClock(0);
    const graces: CatchUpGraces = new Map();
    const refetched: PoolStore[] = [];
    const store = restoredPool();
    expect(store.meta.stale).toBe(true);
    const state = { canCatchUp: false, catchingUp: true };
    revalidate(store, graces, spectatorThat(state), { refetch: (s) => void refetched.push(s) }, clock, 1500);
    expect(refetched).toEqual([]);
    expect(graces.has(store)).toBe(true);
    // Neither seeded nor catching up any more and still stale after the grace: fetched again.
    state.catchingUp = false;
    clock.advance(1500);
    expect(refetched).toEqual([store]);
  });

  it("no spectate of its guild can catch it up: fetched again at once", () => {
    const clock = createManualClock(0);
    const refetched: PoolStore[] = [];
    const store = restoredPool();
    revalidate(
      store,
      new Map(),
      spectatorThat({ canCatchUp: false, catchingUp: false }),
      { refetch: (s) => void refetched.push(s) },
      clock,
      1500,
    );
    expect(refetched).toEqual([store]);
  });
});

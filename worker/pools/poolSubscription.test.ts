import { describe, expect, it } from "vitest";
import type { Channel } from "../../src/protocol";
import type { PoolDelta } from "../../src/shared";
import { subscribePool } from "./poolSubscription";
import { PoolStore } from "./poolStore";
import { Signal } from "../signal";

const channel = (id: string): Channel => ({ id, name: `c${id}`, type: 0, position: 0 });

/**
 * A subscription over a fake `pools` (it records what it is asked) and a fake session: `auth`
 * says whether a user is logged in, `elevated` fires the elevation listeners, `gate` is what the
 * presence gate says.
 */
function setUp(
  ids: readonly string[] | "all",
  store = new PoolStore("channel", "7"),
  init: { auth?: boolean; gate?: "wait" | "unsupported" } = {},
) {
  const asked: string[] = [];
  const delivered: PoolDelta[] = [];
  const state = { auth: init.auth ?? true, gate: init.gate ?? null };
  const elevated = new Signal();
  const presenceChanged = new Signal();
  const pools = {
    fetchIds: (_store: PoolStore, wanted: readonly string[]) => asked.push(`ids ${wanted.join(",")}`),
    loadAll: () => asked.push("all"),
    restore: () => asked.push("restore"),
  };
  const dispose = subscribePool({
    pools,
    store,
    ids,
    deliver: (delta) => delivered.push(delta),
    authenticated: () => state.auth,
    onElevated: (listener) => elevated.listen(listener),
    revalidate: () => asked.push("revalidate"),
    presenceGate: () => state.gate,
    onPresenceChange: (listener) => presenceChanged.listen(listener),
  });
  return { store, asked, delivered, state, elevated, presenceChanged, dispose, pools };
}

describe("subscribePool", () => {
  it("restores, then sends a snapshot first and asks for the whole pool", () => {
    const { asked, delivered } = setUp("all");
    expect(asked).toEqual(["restore", "all"]);
    expect(delivered).toEqual([expect.objectContaining({ reset: true, upsert: [], status: "loading" })]);
  });

  it("by id: asks for its ids, and passes on only the changes of its ids", () => {
    const { store, asked, delivered } = setUp(["1", "2"]);
    expect(asked).toEqual(["restore", "ids 1,2"]);
    store.dispatch({ type: "entities", data: [channel("1"), channel("3")], nonexistent: ["2"] });
    expect(delivered.at(-1)).toMatchObject({
      reset: false,
      upsert: [channel("1")],
      nonexistent: ["2"],
      status: "ready",
      loaded: 1,
      total: 1,
    });
    const count = delivered.length;
    // Another subscription's entity changed; ours did not (nor our status): nothing said.
    store.dispatch({ type: "update", op: "update", id: "3", entity: channel("3") });
    expect(delivered).toHaveLength(count);
  });

  it("logged out: says it waits and asks nothing, then asks once a login elevates", () => {
    const { asked, delivered, state, elevated } = setUp(["1"], undefined, { auth: false });
    expect(asked).toEqual(["restore"]);
    expect(delivered).toEqual([expect.objectContaining({ reset: true, status: "waiting" })]);
    state.auth = true;
    elevated.emit();
    expect(asked).toEqual(["restore", "ids 1"]);
  });

  it("ids missing with an error say so; the whole pool's status ignores a by-id error", () => {
    const store = new PoolStore("channel", "7");
    const byId = setUp(["1"], store);
    const all = setUp("all", store);
    store.dispatch({ type: "unanswered", error: { code: "bad_frame", message: "bad" } });
    expect(byId.delivered.at(-1)).toMatchObject({ status: "error", error: { code: "bad_frame" } });
    expect(all.delivered.at(-1)).toMatchObject({ error: null });
  });

  it("a reset sends a fresh snapshot and asks again (not after a reset with an error)", () => {
    const { store, asked, delivered } = setUp("all");
    store.dispatch({ type: "reset", error: null });
    expect(delivered.at(-1)).toMatchObject({ reset: true });
    expect(asked).toEqual(["restore", "all", "all"]);
    store.dispatch({ type: "reset", error: { code: "not_authenticated", message: "logged out" } });
    expect(delivered.at(-1)).toMatchObject({ reset: true, status: "error" });
    expect(asked).toHaveLength(3);
  });

  it("a restored (stale) pool is revalidated, not loaded again", () => {
    const store = new PoolStore("channel", "7");
    store.dispatch({ type: "restored", data: [channel("1")], nonexistent: [], whole: true, savedAt: 5 });
    const { asked, delivered } = setUp("all", store);
    expect(asked).toEqual(["restore", "revalidate"]);
    expect(delivered[0]).toMatchObject({ source: "cache", stale: true, savedAt: 5, upsert: [channel("1")] });
  });

  it("an online view on a gateway without presence fails as unsupported, once, and never loads", () => {
    const store = new PoolStore("member", "7", "online");
    const { asked, delivered, presenceChanged } = setUp("all", store, { gate: "unsupported" });
    expect(store.meta.error).toMatchObject({ code: "unsupported" });
    const count = delivered.length;
    presenceChanged.emit();
    expect(delivered).toHaveLength(count);
    expect(asked).toEqual(["restore"]);
  });

  it("a member pool waits while its gate says so, and loads when a presence change lets it", () => {
    const { asked, state, presenceChanged } = setUp("all", new PoolStore("member", "7"), { gate: "wait" });
    expect(asked).toEqual(["restore"]);
    state.gate = null;
    presenceChanged.emit();
    expect(asked).toEqual(["restore", "all"]);
  });

  it("its disposer removes every listener it added", () => {
    const { store, elevated, presenceChanged, dispose } = setUp("all", new PoolStore("member", "7"));
    expect([store.listeners, elevated.size, presenceChanged.size, store.restoreDone.size]).toEqual([
      1, 1, 1, 1,
    ]);
    dispose();
    expect([store.listeners, elevated.size, presenceChanged.size, store.restoreDone.size]).toEqual([
      0, 0, 0, 0,
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { Channel, PoolResponsePayload } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import type { RequestSpec } from "../gateway/requests";
import { ByIdFetcher } from "./byIdFetcher";
import { PoolStore } from "./poolStore";

const channel = (id: string): Channel => ({ id, name: `c${id}`, type: 0, position: 0 });

interface Sent {
  spec: RequestSpec<"pool_request", unknown>;
  ids: string[];
  resolve(): void;
  reject(error: unknown): void;
}

/** A fetcher over requests answered by hand, with a 10 ms window, for channel pools of guild 7. */
function setUp() {
  const clock = createManualClock(0);
  const sent: Sent[] = [];
  const counts = { byId: 0 };
  const fetcher = new ByIdFetcher({
    clock,
    batchWindowMs: 10,
    presenceAt: () => null,
    sent: counts,
    requests: {
      send: <E, R>(spec: RequestSpec<E & "pool_request", R>) =>
        new Promise<R>((resolve, reject) => {
          const { ids } = spec.build(1, "t") as { ids: string[] };
          const s = spec as unknown as Sent["spec"];
          sent.push({ spec: s, ids, resolve: () => resolve(undefined as R), reject });
        }),
    },
  });
  const store = new PoolStore("channel", "7");
  /** Feeds the answer of request `i` (its ids, except `left`), as the socket would. */
  const answer = (i: number, left: string[] = []) => {
    const ids = sent[i]!.ids.filter((id) => !left.includes(id));
    const frame: PoolResponsePayload = {
      _id: 1,
      type: "channel",
      guild_id: "7",
      data: ids.map(channel),
      nonexistent: [],
      finished: true,
    };
    sent[i]!.spec.collect("pool_response", frame);
    sent[i]!.resolve();
  };
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, sent, counts, fetcher, store, answer, settle };
}

describe("ByIdFetcher", () => {
  it("sends the ids asked within the window as one request, none held or known missing", () => {
    const { clock, sent, counts, fetcher, store } = setUp();
    store.dispatch({ type: "entities", data: [channel("1")], nonexistent: ["2"] });
    fetcher.fetch(store, ["1", "2", "3"]);
    clock.advance(5);
    fetcher.fetch(store, ["3", "4"]);
    expect(sent).toHaveLength(0);
    clock.advance(5);
    expect(sent.map((s) => s.ids)).toEqual([["3", "4"]]);
    expect(sent[0]!.spec.build(9, "tok")).toEqual({
      _id: 9,
      token: "tok",
      type: "channel",
      guild_id: "7",
      ids: ["3", "4"],
    });
    expect(counts.byId).toBe(1);
  });

  it("does not ask again for ids on their way, and forgets them once answered", async () => {
    const { clock, sent, fetcher, store, answer, settle } = setUp();
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    expect(fetcher.busy(store.key)).toBe(true);
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    expect(sent).toHaveLength(1);
    answer(0);
    await settle();
    expect(store.entities.has("1")).toBe(true);
    expect(fetcher.busy(store.key)).toBe(false);
  });

  it("splits more than 1,000 ids into requests of at most 1,000", () => {
    const { clock, sent, fetcher, store } = setUp();
    fetcher.fetch(
      store,
      Array.from({ length: 2500 }, (_, i) => String(i)),
    );
    clock.advance(10);
    expect(sent.map((s) => s.ids.length)).toEqual([1000, 1000, 500]);
  });

  it("a failed request fails the pool and its ids may be asked again", async () => {
    const { clock, sent, fetcher, store, settle } = setUp();
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    sent[0]!.reject(new GatewayError("timeout", "no answer"));
    await settle();
    expect(store.meta).toMatchObject({ status: "error", error: { code: "timeout" } });
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    expect(sent).toHaveLength(2);
  });

  it("drops the answer to a request made before the pool was reset", () => {
    const { clock, fetcher, store, answer } = setUp();
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    store.dispatch({ type: "reset", error: null });
    answer(0);
    expect(store.entities.size).toBe(0);
  });

  it("after forget, ids on their way are asked again (their answer concerns a dropped state)", () => {
    const { clock, sent, fetcher, store } = setUp();
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    fetcher.forget(store.key);
    fetcher.fetch(store, ["1"]);
    clock.advance(10);
    expect(sent).toHaveLength(2);
  });

  it("dispose and clear cancel the batches waiting for their window", () => {
    const { clock, sent, fetcher, store } = setUp();
    fetcher.fetch(store, ["1"]);
    fetcher.dispose();
    expect(fetcher.busy(store.key)).toBe(false);
    fetcher.fetch(new PoolStore("channel", "8"), ["2"]);
    fetcher.clear();
    clock.advance(10);
    expect(sent).toHaveLength(0);
  });

  it("refetch asks every id held or missing of a restored copy, which is current once answered", async () => {
    const { sent, fetcher, store, answer, settle } = setUp();
    store.dispatch({ type: "restored", data: [channel("1")], nonexistent: ["2"], whole: false, savedAt: 0 });
    expect(store.meta.stale).toBe(true);
    const done = fetcher.refetch(store);
    void fetcher.refetch(store);
    expect(sent.map((s) => s.ids)).toEqual([["1", "2"]]);
    answer(0, ["2"]);
    await done;
    await settle();
    expect(store.meta.stale).toBe(false);
    expect(store.refetching).toBe(false);
  });

  it("refetch of statuses of unknown age (revalidates false) leaves the pool as it was marked", async () => {
    const { sent, fetcher, store, answer } = setUp();
    store.dispatch({ type: "restored", data: [channel("1")], nonexistent: [], whole: false, savedAt: 0 });
    const done = fetcher.refetch(store, false);
    answer(0);
    await done;
    expect(sent).toHaveLength(1);
    expect(store.meta.stale).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import type { Member, PoolResponsePayload } from "../../src/protocol";
import { GatewayError } from "../../src/shared";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { Pools } from "./pools";
import type { PoolStore } from "./poolStore";
import type { Requests, RequestSpec } from "../gateway/requests";
import { sampleMember } from "../test/sampleMember";

const member = (id: string, status?: Member["status"]): Member => sampleMember(id, status ? { status } : {});

interface Sent {
  spec: RequestSpec<"pool_request" | "pool_all_request", unknown>;
  reject(error: unknown): void;
}

/**
 * Pools over requests answered by hand (`answer` feeds frames to a request's collect, as the
 * socket would), for guild 7, where presence flows at the seq `presence.at` says (null: it does not).
 */
function setUp() {
  const clock = createManualClock(0);
  const sent: Sent[] = [];
  const requests = {
    send: (spec: Sent["spec"]) => new Promise((_, reject) => sent.push({ spec, reject })),
  } as unknown as Requests;
  const presence = { at: 4 as number | null };
  const seeded: [string, number][] = [];
  const pools = new Pools({
    requests,
    clock,
    batchWindowMs: 10,
    cache: () => null,
    seqOf: () => null,
    seeded: () => {},
    presenceAt: () => presence.at,
    seededPresence: (guildId, seq) => seeded.push([guildId, seq]),
    presenceSupport: () => "supported",
  });
  const chunk = (
    _id: number,
    data: Member[],
    finished: boolean,
    extra: Partial<PoolResponsePayload> = {},
  ): PoolResponsePayload => ({
    _id,
    type: "member",
    guild_id: "7",
    data,
    nonexistent: [],
    finished,
    ...extra,
  });
  const answer = (i: number, frame: PoolResponsePayload) => sent[i]!.spec.collect("pool_response", frame);
  const statuses = (store: PoolStore) =>
    Object.fromEntries([...store.entities.values()].map((m) => [m.id, (m as Member).status]));
  return { pools, clock, sent, presence, seeded, chunk, answer, statuses };
}

describe("Pools: answers and frames in one task", () => {
  it("a by-id answer is in before a presence frame right behind it on the wire, which then applies on top", () => {
    const { pools, clock, sent, chunk, answer } = setUp();
    const store = pools.store("member", "7");
    store.listen(() => {});
    pools.fetchIds(store, ["1"]);
    clock.advance(10);
    expect(sent).toHaveLength(1);
    // The answer and the frame arrive in one read of the socket: no microtask in between.
    answer(0, chunk(1, [member("1", "online")], true));
    pools.applyPresence({ guild_id: "7", seq: 5, updates: [{ id: "1", status: "dnd" }] });
    expect((store.entities.get("1") as Member).status).toBe("dnd");
    expect(store.presenceSeq).toBe(5);
  });
});

describe("Pools: member statuses of a known age", () => {
  it("a whole pool whose first chunks came before presence flowed is loaded again once it flows", () => {
    const { pools, sent, presence, chunk, answer } = setUp();
    presence.at = null;
    const store = pools.store("member", "7");
    store.listen(() => {});
    pools.loadAll(store);
    answer(0, chunk(1, [member("1", "online")], false, { total: 2 }));
    // Presence starts to flow mid-stream (the guild was spectated): frames before it were missed.
    presence.at = 12;
    pools.presenceFlow("7", 12);
    answer(0, chunk(1, [member("2", "idle")], true, { total: 2 }));
    expect(store.presenceSeq).toBeNull();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.spec.event).toBe("pool_all_request");
  });

  it("the online view's snapshot is not sent again after a drop; the view says nothing went wrong", async () => {
    const { pools, sent } = setUp();
    const store = pools.store("member", "7", "online");
    store.listen(() => {});
    pools.loadAll(store);
    expect(sent[0]!.spec.retry).toBe(false);
    expect(sent[0]!.spec.build(1, "t")).toMatchObject({ filter: "online" });
    sent[0]!.reject(new GatewayError("disconnected", "the connection dropped"));
    await Promise.resolve();
    await Promise.resolve();
    expect(store.meta).toMatchObject({ loadingAll: false, status: "ready", error: null });
    expect(store.presenceBuffer).toBeNull();
    // Asked again (once the gateway said it has presence: the subscription's gate).
    pools.loadAll(store);
    expect(sent).toHaveLength(2);
  });

  it("an answer of a request made before a reset leaves the current load's buffer alone", async () => {
    const { pools, sent, presence } = setUp();
    presence.at = null;
    const store = pools.store("member", "7", "online");
    store.listen(() => {});
    pools.loadAll(store);
    store.dispatch({ type: "reset", error: null });
    pools.loadAll(store);
    const buffer = store.presenceBuffer;
    expect(buffer).toEqual([]);
    sent[0]!.reject(new GatewayError("timeout", "no answer"));
    await Promise.resolve();
    await Promise.resolve();
    expect(store.presenceBuffer).toBe(buffer);
    expect(store.meta.loadingAll).toBe(true);
  });
});

describe("Pools: the online view's snapshot and the frames around it", () => {
  it("frames that came while it streamed apply on top of it, above its seq", () => {
    const { pools, sent, presence, chunk, answer, statuses } = setUp();
    presence.at = 10;
    const store = pools.store("member", "7", "online");
    store.listen(() => {});
    pools.loadAll(store);
    pools.applyPresence({ guild_id: "7", seq: 11, updates: [{ id: "1", status: "offline" }] });
    pools.applyPresence({ guild_id: "7", seq: 12, updates: [{ id: "3", status: "dnd" }] });
    const online = { filter: "online" as const, presence_seq: 11 };
    answer(0, chunk(1, [member("3", "online"), member("2", "idle")], true, online));
    expect(statuses(store)).toEqual({ "3": "dnd", "2": "idle" });
    expect(store.presenceSeq).toBe(12);
    expect(sent).toHaveLength(1);
  });

  it("a snapshot older than what flows, with no frame after it yet, is loaded again; the reload drops who went offline", () => {
    const { pools, sent, presence, chunk, answer, statuses } = setUp();
    presence.at = null;
    const store = pools.store("member", "7", "online");
    store.listen(() => {});
    pools.loadAll(store);
    answer(
      0,
      chunk(1, [member("1", "online"), member("2", "idle")], true, { filter: "online", presence_seq: 10 }),
    );
    expect(statuses(store)).toEqual({ "1": "online", "2": "idle" });
    // Its guild now spectated with no since: presence flows from 12; frames 11 and 12 were missed.
    presence.at = 12;
    pools.presenceFlow("7", 12);
    expect(sent).toHaveLength(2);
    answer(1, chunk(2, [member("1", "online")], true, { filter: "online", presence_seq: 12 }));
    expect(statuses(store)).toEqual({ "1": "online" });
    expect(store.presenceSeq).toBe(12);
  });

  it("where presence does not flow, frames taken meanwhile apply and the snapshot's seq is seeded", () => {
    const { pools, presence, seeded, chunk, answer, statuses } = setUp();
    presence.at = null;
    const store = pools.store("member", "7", "online");
    store.listen(() => {});
    pools.loadAll(store);
    // Taken while the guild's spectate was on its way (its frames overtook the answer).
    pools.applyPresence({ guild_id: "7", seq: 6, updates: [{ id: "1", status: "idle" }] });
    answer(0, chunk(1, [member("1", "online")], true, { filter: "online", presence_seq: 5 }));
    expect(statuses(store)).toEqual({ "1": "idle" });
    expect(seeded).toEqual([["7", 5]]);
  });
});

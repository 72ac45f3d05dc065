import { describe, expect, it } from "vitest";
import type { Member, PoolResponsePayload } from "../src/protocol";
import { createManualClock } from "../demo/gateway/test/manualClock";
import { Pools } from "./pools";
import type { Requests, RequestSpec } from "./requests";
import { sampleMember } from "./test/sampleMember";

const member = (id: string, status?: Member["status"]): Member => sampleMember(id, status ? { status } : {});

/** Pools over requests answered by hand, presence flowing for guild 7 at seq 4. */
function setUp() {
  const clock = createManualClock(0);
  const sent: RequestSpec<"pool_request", unknown>[] = [];
  const requests = {
    send: (spec: RequestSpec<"pool_request", unknown>) => (sent.push(spec), new Promise(() => {})),
  } as unknown as Requests;
  const pools = new Pools({
    requests,
    clock,
    batchWindowMs: 10,
    cache: () => null,
    seqOf: () => null,
    seeded: () => {},
    presenceAt: () => 4,
    seededPresence: () => {},
    presenceSupport: () => "supported",
  });
  return { pools, clock, sent };
}

describe("Pools: answers and frames in one task", () => {
  it("a by-id answer is in before a presence frame right behind it on the wire, which then applies on top", () => {
    const { pools, clock, sent } = setUp();
    const store = pools.store("member", "7");
    store.listen(() => {});
    pools.fetchIds(store, ["1"]);
    clock.advance(10);
    expect(sent).toHaveLength(1);
    const answer: PoolResponsePayload = {
      _id: 1,
      type: "member",
      guild_id: "7",
      data: [member("1", "online")],
      nonexistent: [],
      finished: true,
    };
    // The answer and the frame arrive in one read of the socket: no microtask in between.
    sent[0]!.collect("pool_response", answer);
    pools.applyPresence({ guild_id: "7", seq: 5, updates: [{ id: "1", status: "dnd" }] });
    expect((store.entities.get("1") as Member).status).toBe("dnd");
    expect(store.presenceSeq).toBe(5);
  });
});

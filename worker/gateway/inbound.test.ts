import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { inboundSchemas, itemSchemas, keepValid } from "./inbound";
import { sampleMember } from "../test/sampleMember";

// archit.us's own form of a date (microseconds and an offset) must pass too.
const member = (id: string, over: object = {}) =>
  sampleMember(id, { joined_at: "2019-05-17T01:23:45.678000+00:00", ...over });

describe("inbound frames, item by item", () => {
  it("a pool chunk keeps its good entities (extra fields too) and drops a malformed one", () => {
    const frame = {
      _id: 1,
      type: "member",
      guild_id: "7",
      data: [member("1", { extra: true }), member("2", { joined_at: 1558056225678 }), member("3")],
      nonexistent: [],
      finished: true,
    };
    expect(v.is(inboundSchemas.pool_response, frame)).toBe(true);
    const { kept, dropped } = keepValid(frame.data, itemSchemas.entity("member"));
    expect(dropped).toBe(1);
    expect(kept).toEqual([member("1", { extra: true }), member("3")]);
  });

  it("members carry joined_at as archit.us sends it: an ISO 8601 string", () => {
    const schema = itemSchemas.entity("member");
    for (const date of ["2019-05-17T01:23:45.678000+00:00", "2020-01-01T00:00:00.000Z", "2021-03-04"])
      expect(v.is(schema, member("1", { joined_at: date }))).toBe(true);
    for (const date of [1558056225678, "yesterday", "", null])
      expect(v.is(schema, member("1", { joined_at: date }))).toBe(false);
  });

  it("interpret actions: known numbers checked, unknown numbers passed through, malformed ones dropped", () => {
    const actions = [
      { action: 3001, message_id: "3", content: "pong" },
      { action: 9999, whatever: [1, 2] },
      { action: 3100, message_id: "3" },
      { action: "send", message_id: "3", content: "old string form" },
      { action: 3101, message_id: "3", emoji: "👍", targets_user: true },
    ];
    const { kept, dropped } = keepValid(actions, itemSchemas.action);
    expect(kept).toEqual([actions[0], actions[1], actions[4]]);
    expect(dropped).toBe(2);
  });

  it("log_pool updates: one whose entity does not match its id is dropped alone", () => {
    const updates = [
      { type: "member", op: "update", id: "1", entity: member("1") },
      { type: "member", op: "update", id: "2", entity: member("9") },
      { type: "member", op: "remove", id: "3" },
    ];
    const { kept, dropped } = keepValid(updates, itemSchemas.update);
    expect(kept).toEqual([updates[0], updates[2]]);
    expect(dropped).toBe(1);
  });
});

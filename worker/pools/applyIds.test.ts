import { describe, expect, it } from "vitest";
import type { Channel, Member, PoolResponsePayload } from "../../src/protocol";
import { applyIds } from "./applyIds";
import { PoolStore } from "./poolStore";
import { sampleMember } from "../test/sampleMember";

const channel = (id: string): Channel => ({ id, name: `c${id}`, type: 0, position: 0 });
const answer = (data: unknown[], nonexistent: string[] = []): PoolResponsePayload =>
  ({ _id: 1, type: "channel", guild_id: "7", data, nonexistent, finished: true }) as PoolResponsePayload;

describe("applyIds: a by-id answer", () => {
  it("holds every entity answered and records the ids said not to exist, with no error", () => {
    const store = new PoolStore("channel", "7");
    applyIds(store, ["1", "2"], answer([channel("1")], ["2"]));
    expect([...store.entities.keys()]).toEqual(["1"]);
    expect([...store.nonexistent]).toEqual(["2"]);
    expect(store.meta.error).toBeNull();
  });

  it("gives ids the answer left out a bad_frame error naming how many, instead of waiting for ever", () => {
    const store = new PoolStore("channel", "7");
    applyIds(store, ["1", "2", "3"], answer([channel("1")]));
    expect(store.entities.has("1")).toBe(true);
    expect(store.nonexistent.size).toBe(0);
    expect(store.meta.error).toMatchObject({ code: "bad_frame" });
    expect(store.meta.error?.message).toContain("2 id(s)");
    expect(store.meta.error?.message).toContain("e.g. 2");
  });

  it("into the online view, keeps only the members online and records nothing as missing", () => {
    const store = new PoolStore("member", "7", "online");
    const members: Member[] = [
      sampleMember("1", { status: "idle" }),
      sampleMember("2", { status: "offline" }),
      sampleMember("3"),
    ];
    applyIds(store, ["1", "2", "3", "4"], { ...answer(members, ["4"]), type: "member" });
    expect([...store.entities.keys()]).toEqual(["1"]);
    expect(store.nonexistent.size).toBe(0);
    expect(store.meta.error).toBeNull();
  });
});

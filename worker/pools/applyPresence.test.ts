import { describe, expect, it } from "vitest";
import type { Member, PoolUpdate } from "../../src/protocol";
import { applyPresenceFrame, applyTo, memberUpdateFor, type GuildMembers } from "./applyPresence";
import { PoolStore } from "./poolStore";
import { sampleMember } from "../test/sampleMember";

const member = (id: string, status?: Member["status"]): Member => sampleMember(id, status ? { status } : {});

/** The guild's member pools: the whole pool, a by-id pool and the online view, all at presence seq 10. */
function guild() {
  const whole = new PoolStore("member", "7");
  const byId = new PoolStore("member", "7");
  const online = new PoolStore("member", "7", "online");
  whole.dispatch({
    type: "chunk",
    data: [member("1", "online"), member("2", "offline"), member("3", "idle")],
    total: 3,
    finished: true,
    restart: false,
  });
  byId.dispatch({ type: "entities", data: [member("2", "offline")], nonexistent: [] });
  online.dispatch({
    type: "chunk",
    data: [member("1", "online"), member("3", "idle")],
    total: 2,
    finished: true,
    restart: false,
  });
  for (const store of [whole, byId, online]) store.presenceSeq = 10;
  const fetched: [PoolStore, string[]][] = [];
  const members: GuildMembers = {
    stores: [whole, byId, online],
    fetchOnline: (store, ids) => fetched.push([store, ids]),
  };
  return { whole, byId, online, members, fetched };
}

const statusesOf = (store: PoolStore) =>
  new Map([...store.entities.values()].map((m) => [m.id, (m as Member).status]));

describe("presence frames in the member pools", () => {
  it("statuses follow in every pool; the online view gains members coming online and loses those going offline", () => {
    const { whole, byId, online, members, fetched } = guild();
    const deltas: number[] = [];
    online.listen(() => deltas.push(online.entities.size));
    applyPresenceFrame(members, {
      guild_id: "7",
      seq: 11,
      updates: [
        { id: "1", status: "offline" },
        { id: "2", status: "dnd", member: member("2", "dnd") },
        { id: "3", status: "online" },
      ],
    });
    expect(statusesOf(whole)).toEqual(
      new Map([
        ["1", "offline"],
        ["2", "dnd"],
        ["3", "online"],
      ]),
    );
    expect(statusesOf(byId)).toEqual(new Map([["2", "dnd"]]));
    expect(statusesOf(online)).toEqual(
      new Map([
        ["2", "dnd"],
        ["3", "online"],
      ]),
    );
    // One change of the view per frame (one delivery), its counts following its size.
    expect(deltas).toEqual([2]);
    expect(online.meta).toMatchObject({ loaded: 2, total: 2 });
    for (const store of [whole, byId, online]) expect(store.presenceSeq).toBe(11);
    expect(fetched).toEqual([]);
  });

  it("a frame at or below a pool's seq changes nothing there", () => {
    const { whole, members } = guild();
    applyPresenceFrame(members, { guild_id: "7", seq: 10, updates: [{ id: "1", status: "dnd" }] });
    expect((whole.entities.get("1") as Member).status).toBe("online");
  });

  it("a member coming online that no pool knows, without its entity, is fetched into the view", () => {
    const { online, members, fetched } = guild();
    applyPresenceFrame(members, { guild_id: "7", seq: 11, updates: [{ id: "9", status: "idle" }] });
    expect(online.entities.has("9")).toBe(false);
    expect(fetched).toEqual([[online, ["9"]]]);
  });

  it("an online view streaming its snapshot keeps frames aside; those above its seq apply once it is in", () => {
    const { online, members } = guild();
    online.presenceBuffer = [];
    applyPresenceFrame(members, { guild_id: "7", seq: 11, updates: [{ id: "3", status: "offline" }] });
    applyPresenceFrame(members, { guild_id: "7", seq: 12, updates: [{ id: "1", status: "dnd" }] });
    expect(statusesOf(online)).toEqual(
      new Map([
        ["1", "online"],
        ["3", "idle"],
      ]),
    );
    const buffered = online.presenceBuffer;
    online.presenceBuffer = null;
    online.presenceSeq = 11; // the snapshot reflected frame 11 already
    for (const frame of buffered) applyTo(online, members, frame);
    expect(statusesOf(online)).toEqual(
      new Map([
        ["1", "dnd"],
        ["3", "idle"],
      ]),
    );
    expect(online.presenceSeq).toBe(12);
  });

  it("a pool whose statuses are of unknown age takes the statuses but keeps its seq unknown", () => {
    const { whole, members } = guild();
    whole.presenceSeq = null;
    applyPresenceFrame(members, { guild_id: "7", seq: 11, updates: [{ id: "2", status: "idle" }] });
    expect((whole.entities.get("2") as Member).status).toBe("idle");
    expect(whole.presenceSeq).toBeNull();
  });
});

describe("member edits pushed by log_pool", () => {
  const edit = (m: Member): PoolUpdate => ({ type: "member", op: "update", id: m.id, entity: m });

  it("keep the status the presence frames gave, in pools that follow them", () => {
    const { whole } = guild();
    const renamed = { ...member("1", "dnd"), nick: "new" };
    expect(memberUpdateFor(whole, edit(renamed))).toEqual(edit({ ...renamed, status: "online" }));
    whole.presenceSeq = null;
    expect(memberUpdateFor(whole, edit(renamed))).toEqual(edit(renamed));
  });

  it("the online view takes in only members online, and lets one go when its status says offline", () => {
    const { online } = guild();
    expect(memberUpdateFor(online, edit(member("5", "offline")))).toBeNull();
    expect(memberUpdateFor(online, edit(member("5", "idle")))).toEqual(edit(member("5", "idle")));
    online.presenceSeq = null;
    expect(memberUpdateFor(online, edit(member("1", "offline")))).toMatchObject({ op: "remove", id: "1" });
    expect(memberUpdateFor(online, { type: "member", op: "remove", id: "3" })).toEqual({
      type: "member",
      op: "remove",
      id: "3",
    });
  });
});

import { describe, expect, it } from "vitest";
import type { Channel, LogPoolPayload, Member, User } from "../../src/protocol";
import { applyLogPool } from "./applyLogPool";
import { PoolStore } from "./poolStore";
import { sampleMember } from "../test/sampleMember";

const held = (...stores: PoolStore[]) => {
  const byKey = new Map(stores.map((s) => [s.key, s]));
  return (key: string) => byKey.get(key);
};

describe("applyLogPool: a pushed pool change", () => {
  it("reaches the guild's pool of that type, and no other guild's", () => {
    const mine = new PoolStore("channel", "7");
    const other = new PoolStore("channel", "8");
    const entity: Channel = { id: "1", name: "general", type: 0, position: 0 };
    const event = { guild_id: "7", seq: 1, updates: [{ type: "channel", op: "add", id: "1", entity }] };
    applyLogPool(event as LogPoolPayload, held(mine, other));
    expect(mine.entities.get("1")).toEqual(entity);
    expect(other.entities.size).toBe(0);
  });

  it("of a pool not scoped by guild, reaches the one pool of that type", () => {
    const users = new PoolStore("user", null);
    const entity: User = { id: "5", username: "u", avatar: null, discriminator: "0001" };
    const event = { guild_id: "7", seq: 1, updates: [{ type: "user", op: "add", id: "5", entity }] };
    applyLogPool(event as LogPoolPayload, held(users));
    expect(users.entities.get("5")).toEqual(entity);
  });

  it("of a member reaches the whole pool and the online view, which takes only members online", () => {
    const whole = new PoolStore("member", "7");
    const online = new PoolStore("member", "7", "online");
    const offline = sampleMember("1", { status: "offline" });
    const idle = sampleMember("2", { status: "idle" });
    const updates = [
      { type: "member", op: "add", id: "1", entity: offline },
      { type: "member", op: "add", id: "2", entity: idle },
    ];
    applyLogPool({ guild_id: "7", seq: 1, updates } as LogPoolPayload, held(whole, online));
    expect([...whole.entities.keys()]).toEqual(["1", "2"]);
    expect([...online.entities.keys()]).toEqual(["2"]);
    expect((online.entities.get("2") as Member).status).toBe("idle");
  });

  it("of pools nobody holds changes nothing", () => {
    const event = { guild_id: "7", seq: 1, updates: [{ type: "role", op: "remove", id: "1" }] };
    expect(() => applyLogPool(event as LogPoolPayload, held())).not.toThrow();
  });
});

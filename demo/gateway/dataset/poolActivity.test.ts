import { describe, it, expect } from "vitest";
import type { Entity, PoolType } from "../../../src/protocol";
import type { Dataset, GuildRecord } from "./Dataset";
import { generateDataset } from "./generateDataset";
import { makeMessageEvent, makePoolEvent } from "./poolActivity";
import type { PoolEvent } from "./poolEvent";
import { createRandom } from "./random";

const NOW = 1_700_000_000_000;
const ID = /^[0-9]{1,20}$/;
const PRIVATE_ACTIONS = new Set([1, 30, 32]);
const REVERSIBLE_ACTIONS = new Set([3200, 3201, 3202]);

const dataset = (): Dataset => generateDataset({ seed: 3, now: NOW, bigGuildMembers: 2000 });
const hubOf = (ds: Dataset): GuildRecord => [...ds.guilds.values()][0] as GuildRecord;
const poolOf = (guild: GuildRecord, type: PoolType): Map<string, Entity> =>
  guild.pools[type as keyof GuildRecord["pools"]] as Map<string, Entity>;

/** Asserts the event is well-formed and already applied to the guild. */
function expectApplied(guild: GuildRecord, event: PoolEvent, now: number): void {
  const { action, updates } = event;
  expect(action.id).toMatch(ID);
  expect(action).toMatchObject({ timestamp: now, guild_id: guild.id });
  expect(guild.pools.member.has(action.agent_id ?? "")).toBe(true);
  expect(action.private).toBe(PRIVATE_ACTIONS.has(action.action_number));
  expect(action.reversible).toBe(REVERSIBLE_ACTIONS.has(action.action_number));
  expect(action.subject_id).toMatch(ID);
  expect(updates.length).toBeGreaterThan(0);
  for (const update of updates) {
    const pool = poolOf(guild, update.type);
    if (update.op === "remove") {
      expect(update.entity).toBeUndefined();
      expect(pool.has(update.id)).toBe(false);
    } else {
      expect(update.entity?.id).toBe(update.id);
      expect(pool.get(update.id)).toEqual(update.entity);
      expect(pool.get(update.id)).not.toBe(update.entity);
    }
  }
}

describe("makePoolEvent", () => {
  it("changes the dataset consistently, over every kind of change", () => {
    const ds = dataset();
    const hub = hubOf(ds);
    const rng = createRandom(11);
    const seen = new Set<number>();
    const actionIds = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const now = NOW + i;
      const event = makePoolEvent(ds, hub.id, rng, now);
      expectApplied(hub, event, now);
      seen.add(event.action.action_number);
      actionIds.add(event.action.id);
      const [first] = event.updates;
      if (event.action.action_number === 32 && first) {
        expect(first).toEqual({ type: "role", op: "remove", id: event.action.subject_id });
        expect(first.id).not.toBe(hub.id);
        expect(event.updates.length).toBeLessThanOrEqual(1001);
        for (const m of hub.pools.member.values()) expect(m.roles).not.toContain(first.id);
      }
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 11, 24, 30, 32, 3200, 3201, 3202]);
    expect(actionIds.size).toBe(400);
    expect(hub.pools.role.get(hub.id)?.name).toBe("@everyone");
  });

  it("edits and removals come with the matching entity changes", () => {
    const ds = dataset();
    const guild = [...ds.guilds.values()][3] as GuildRecord;
    const rng = createRandom(5);
    for (let i = 0; i < 200; i++) {
      const before = new Map(guild.pools.autoResponse);
      const event = makePoolEvent(ds, guild.id, rng, NOW);
      const [update] = event.updates;
      if (event.action.action_number === 3201 && update) {
        expect(before.has(update.id)).toBe(true);
        expect(event.action.old_data).toMatchObject({ trigger: before.get(update.id)?.trigger });
      }
      if (event.action.action_number === 3200 && update) {
        expect(before.has(update.id)).toBe(false);
        expect(guild.pools.autoResponse.size).toBe(before.size + 1);
      }
    }
  });

  it("falls back to another kind when the drawn one is impossible", () => {
    const ds = dataset();
    const tiny = [...ds.guilds.values()][3] as GuildRecord;
    tiny.pools.autoResponse.clear();
    tiny.pools.settingValue.clear();
    for (const role of [...tiny.pools.role.values()])
      if (role.id !== tiny.id) tiny.pools.role.delete(role.id);
    for (const m of tiny.pools.member.values()) tiny.pools.member.set(m.id, { ...m, roles: [] });
    const rng = createRandom(9);
    for (let i = 0; i < 100; i++) expectApplied(tiny, makePoolEvent(ds, tiny.id, rng, NOW), NOW);
    expect(() => makePoolEvent(ds, "1", rng, NOW)).toThrow();
  });

  it("is deterministic for the same dataset, rng seed and time", () => {
    const run = () => {
      const ds = dataset();
      const rng = createRandom(21);
      return Array.from({ length: 50 }, () => makePoolEvent(ds, hubOf(ds).id, rng, NOW));
    };
    expect(run()).toEqual(run());
  });
});

describe("makeMessageEvent", () => {
  it("uses a private channel and flags the entry when asked, else a public one", () => {
    const ds = dataset();
    const rng = createRandom(2);
    const kinds = new Set<number>();
    for (const guild of ds.guilds.values()) {
      for (let i = 0; i < 60; i++) {
        const isPrivate = i % 2 === 0;
        const { action } = makeMessageEvent(ds, guild.id, rng, NOW, { private: isPrivate });
        kinds.add(action.action_number);
        expect([3001, 3100]).toContain(action.action_number);
        expect(action).toMatchObject({ guild_id: guild.id, timestamp: NOW, private: isPrivate });
        expect(action.id).toMatch(ID);
        expect(guild.pools.member.has(action.agent_id ?? "")).toBe(true);
        const channel = guild.pools.channel.get(action.channel_id ?? "");
        expect(channel?.type).toBe(0);
        expect(ds.privateChannels.has(channel?.id ?? "")).toBe(isPrivate);
        expect(action.content?.length).toBeGreaterThan(0);
      }
    }
    expect([...kinds].sort()).toEqual([3001, 3100]);
  });

  it("posts only in channels the guild has now, after its channel pool changed", () => {
    const ds = dataset();
    const guild = hubOf(ds);
    const rng = createRandom(5);
    const channels = guild.pools.channel;
    // Its text channels as they were when messages were first made.
    for (let i = 0; i < 20; i++) makeMessageEvent(ds, guild.id, rng, NOW, { private: false });
    const publicText = [...channels.values()].filter((c) => c.type === 0 && !ds.privateChannels.has(c.id));
    expect(publicText.length).toBeGreaterThan(1);
    // One public text channel goes and a voice channel comes (the pool keeps its size).
    const gone = publicText[0]!;
    channels.delete(gone.id);
    channels.set("999", { ...gone, id: "999", type: 2 });
    const used = new Set<string>();
    for (let i = 0; i < 400; i++)
      used.add(makeMessageEvent(ds, guild.id, rng, NOW, { private: false }).action.channel_id ?? "");
    expect(used.has(gone.id)).toBe(false);
    expect(used.has("999")).toBe(false);
    expect([...used].sort()).toEqual(
      publicText
        .slice(1)
        .map((c) => c.id)
        .sort(),
    );
  });
});

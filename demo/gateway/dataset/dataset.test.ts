import { describe, it, expect } from "vitest";
import type { Dataset, GuildRecord } from "./Dataset";
import { generateDataset } from "./generateDataset";
import { createRandom } from "./random";
import { searchMembers } from "./searchMembers";

const NOW = 1_700_000_000_000;
const ID = /^[0-9]{1,20}$/;
const small = (seed = 7): Dataset => generateDataset({ seed, now: NOW, bigGuildMembers: 2000 });
const byName = (ds: Dataset, name: string): GuildRecord => {
  const guild = [...ds.guilds.values()].find((g) => g.name === name);
  if (!guild) throw new Error(`no guild ${name}`);
  return guild;
};
const summary = (ds: Dataset) =>
  [...ds.guilds.values()].map((g) => ({
    id: g.id,
    sizes: Object.values(g.pools).map((p) => p.size),
    firstMembers: [...g.pools.member.keys()].slice(0, 10),
  }));

describe("random", () => {
  it("is deterministic and yields 17–19 digit snowflakes", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = a.snowflake();
      expect(id).toBe(b.snowflake());
      expect(id).toMatch(/^[1-9][0-9]{16,18}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(5000);
    const r = createRandom(1);
    for (let i = 0; i < 1000; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
      expect(r.next()).toBeLessThan(1);
    }
    expect(createRandom(1).next()).not.toBe(createRandom(2).next());
  });
});

describe("generateDataset", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = small();
    expect(summary(small())).toEqual(summary(a));
    expect(small()).toEqual(a);
    expect(summary(small(8))[0]?.id).not.toBe(summary(a)[0]?.id);
    expect(summary(small(8))[0]?.firstMembers.slice(4)).not.toEqual(summary(a)[0]?.firstMembers.slice(4));
  });

  it("builds guilds of very different sizes", () => {
    const ds = small();
    expect([...ds.guilds.values()].map((g) => g.name)).toEqual([
      "Architus Hub",
      "Midnight Guild",
      "Small Talk",
      "Tiny Test",
    ]);
    expect(byName(ds, "Architus Hub").pools.member.size).toBe(2000);
    expect(byName(ds, "Midnight Guild").pools.member.size).toBeGreaterThanOrEqual(2400);
    expect(byName(ds, "Midnight Guild").pools.member.size).toBeLessThanOrEqual(2600);
    expect(byName(ds, "Small Talk").pools.member.size).toBeGreaterThanOrEqual(36);
    expect(byName(ds, "Small Talk").pools.member.size).toBeLessThanOrEqual(44);
    expect(byName(ds, "Tiny Test").pools.member.size).toBe(5);
    for (const g of ds.guilds.values()) {
      const { channel, role, customEmoji, autoResponse, settingValue } = g.pools;
      expect(channel.size).toBeGreaterThanOrEqual(5);
      expect(channel.size).toBeLessThanOrEqual(40);
      expect(role.size).toBeGreaterThanOrEqual(3);
      expect(role.size).toBeLessThanOrEqual(30);
      expect(customEmoji.size).toBeLessThanOrEqual(20);
      expect(autoResponse.size).toBeGreaterThanOrEqual(3);
      expect(autoResponse.size).toBeLessThanOrEqual(15);
      expect(Object.fromEntries([...settingValue.values()].map((s) => [s.id, s.value]))).toEqual({
        prefix: "!",
        responses_enabled: true,
        responses_limit: 10,
        music_enabled: false,
        starboard_threshold: 5,
      });
    }
  });

  it("keeps every guild internally consistent", () => {
    const ds = small();
    for (const g of ds.guilds.values()) {
      const { member, channel, role, customEmoji, autoResponse } = g.pools;
      expect(role.get(g.id)).toMatchObject({ name: "@everyone", position: 0 });
      expect(member.has(g.owner_id)).toBe(true);
      for (const m of member.values()) {
        for (const r of m.roles) expect(role.has(r)).toBe(true);
        expect(Date.parse(m.joined_at)).toBeLessThan(NOW);
        expect(ds.users.get(m.id)?.username).toBe(m.name);
      }
      const nicks = [...member.values()].filter((m) => m.nick !== null).length / member.size;
      if (member.size > 1000) expect(nicks).toBeGreaterThan(0.2);
      for (const c of channel.values()) {
        expect([0, 2, 4]).toContain(c.type);
        if (c.parent_id != null) expect(channel.get(c.parent_id)?.type).toBe(4);
      }
      const text = [...channel.values()].filter((c) => c.type === 0);
      expect(text.some((c) => c.name === "mod-private" && ds.privateChannels.has(c.id))).toBe(true);
      expect(text.some((c) => !ds.privateChannels.has(c.id))).toBe(true);
      for (const e of customEmoji.values())
        expect(e.url).toBe(`https://cdn.discordapp.com/emojis/${e.id}.png`);
      for (const a of autoResponse.values()) expect(["naive", "regex", "punctuated"]).toContain(a.mode);
    }
  });

  it("uses digit-string ids, unique per pool and across pools, and unique usernames", () => {
    const ds = small();
    const all = new Set<string>();
    for (const g of ds.guilds.values()) {
      for (const [type, pool] of Object.entries(g.pools)) {
        for (const [key, entity] of pool as Map<string, { id: string }>) {
          expect(entity.id).toBe(key);
          if (type === "settingValue" || type === "member" || key === g.id) continue;
          expect(key).toMatch(ID);
          expect(all.has(key)).toBe(false);
          all.add(key);
        }
      }
    }
    const names = new Set([...ds.users.values()].map((u) => u.username.toLowerCase()));
    expect(names.size).toBe(ds.users.size);
    for (const [key, user] of ds.users) {
      expect(user.id).toBe(key);
      expect(key).toMatch(ID);
      expect(all.has(key)).toBe(false);
    }
  });

  it("has the demo users with their exact permissions, and overlapping members", () => {
    const ds = small();
    const ids = Object.fromEntries([...ds.guilds.values()].map((g) => [g.name, g.id]));
    const hub = ids["Architus Hub"] as string;
    const midnight = ids["Midnight Guild"] as string;
    const talk = ids["Small Talk"] as string;
    const tiny = ids["Tiny Test"] as string;
    const expected = {
      alice: {
        admin: true,
        permissions: 0x7ff,
        guilds: { [hub]: 0x7ff, [midnight]: 0x7ff, [talk]: 0x7ff, [tiny]: 0x7ff },
      },
      bob: { admin: false, permissions: 0, guilds: { [hub]: 0x112, [talk]: 0x112 } },
      carol: { admin: false, permissions: 0, guilds: { [hub]: 0x110, [midnight]: 0x110 } },
      dave: { admin: false, permissions: 0, guilds: { [hub]: 0x116, [midnight]: 0x116, [tiny]: 0x116 } },
    };
    expect(ds.demoUsers.map((u) => u.name)).toEqual(["alice", "bob", "carol", "dave"]);
    for (const user of ds.demoUsers) {
      expect(user).toMatchObject(expected[user.name as keyof typeof expected]);
      expect(ds.users.get(user.id)?.username).toBe(user.name);
      for (const guildId of Object.keys(user.guilds)) {
        expect(ds.guilds.get(guildId)?.pools.member.get(user.id)?.name).toBe(user.name);
      }
    }
    expect(small(99).demoUsers.map((u) => u.id)).not.toEqual(ds.demoUsers.map((u) => u.id));
    expect(generateDataset({ seed: 7, now: NOW, bigGuildMembers: 100 }).demoUsers).toEqual(ds.demoUsers);
    const demo = new Set(ds.demoUsers.map((u) => u.id));
    const hubMembers = byName(ds, "Architus Hub").pools.member;
    const shared = [...byName(ds, "Midnight Guild").pools.member.keys()].filter(
      (id) => !demo.has(id) && hubMembers.has(id),
    );
    expect(shared.length).toBeGreaterThan(100);
  });

  it("generates the default 50,000-member guild quickly", () => {
    const started = performance.now();
    const ds = generateDataset({ seed: 1, now: NOW });
    expect(performance.now() - started).toBeLessThan(3000);
    const hub = byName(ds, "Architus Hub");
    expect(hub.pools.member.size).toBe(50_000);
    for (const g of ds.guilds.values())
      for (const id of g.pools.member.keys()) expect(ds.users.has(id)).toBe(true);
    const searchStarted = performance.now();
    expect(searchMembers(hub.pools.member.values(), "ka", 20)).toHaveLength(20);
    expect(performance.now() - searchStarted).toBeLessThan(500);
  });
});

describe("generateDataset extraGuilds", () => {
  it("adds small guilds alice may see, with public and private channels, leaving the four as they were", () => {
    const plain = small();
    const more = generateDataset({ seed: 7, now: NOW, bigGuildMembers: 2000, extraGuilds: 3 });
    expect(more.guilds.size).toBe(7);
    expect(summary(more).slice(0, 4)).toEqual(summary(plain));
    const extras = [...more.guilds.values()].slice(4);
    expect(extras.map((g) => g.name)).toEqual(["Bench Guild 1", "Bench Guild 2", "Bench Guild 3"]);
    const alice = more.demoUsers.find((u) => u.name === "alice");
    for (const guild of extras) {
      expect(guild.pools.member.size).toBeGreaterThanOrEqual(15);
      expect(guild.pools.member.has(alice?.id ?? "")).toBe(true);
      expect(alice?.guilds[guild.id]).toBeDefined();
      const channels = [...guild.pools.channel.keys()];
      expect(channels.some((id) => more.privateChannels.has(id))).toBe(true);
      expect(channels.some((id) => !more.privateChannels.has(id))).toBe(true);
    }
    expect(Object.keys(plain.demoUsers.find((u) => u.name === "alice")?.guilds ?? {})).toHaveLength(4);
  });
});

import {
  ALL_PERMISSIONS,
  DEFAULT_GUILD_PERMISSIONS,
  Permission,
  type Snowflake,
  type User,
} from "../../../src/protocol";
import type { Dataset, DemoUser, GuildRecord } from "./Dataset";
import { generateGuild, type GuildSpec } from "./generateGuild";
import { generatePresence } from "./generatePresence";
import type { MemberSeed } from "./generateMembers";
import { createRandom, type Random } from "./random";
import { randomAvatar, randomDiscriminator } from "./randomFields";
import { randomUniqueName } from "./randomName";

/** Options of {@link generateDataset}. */
export interface GenerateDatasetOptions {
  seed: number;
  /** ms since epoch; every `joined_at` lies before it. */
  now: number;
  /** Members of "Architus Hub" (default 50,000). */
  bigGuildMembers?: number;
  /**
   * More small guilds, "Bench Guild 1…N" (default 0: the four above only), each with about 20
   * members of the hub and alice, for benchmarks over many guilds. The four are unchanged.
   */
  extraGuilds?: number;
}

type GuildKey = "hub" | "midnight" | "small" | "tiny";
const GUILD_KEYS: readonly GuildKey[] = ["hub", "midnight", "small", "tiny"];

/** 0x110: settings and auto responses, but no log access. */
const CAROL_PERMISSIONS = Permission.ADD_AUTO_RESPONSE | Permission.VIEW_SETTINGS;
/** 0x116: public and private logs, settings, auto responses. */
const DAVE_PERMISSIONS =
  Permission.VIEW_PUBLIC_LOGS |
  Permission.VIEW_PRIVATE_LOGS |
  Permission.VIEW_SETTINGS |
  Permission.ADD_AUTO_RESPONSE;

/** The scripted demo accounts: guild → architus permissions there. */
const DEMO_ACCOUNTS: readonly { name: string; admin: boolean; guilds: Partial<Record<GuildKey, number>> }[] =
  [
    {
      name: "alice",
      admin: true,
      guilds: {
        hub: ALL_PERMISSIONS,
        midnight: ALL_PERMISSIONS,
        small: ALL_PERMISSIONS,
        tiny: ALL_PERMISSIONS,
      },
    },
    {
      name: "bob",
      admin: false,
      guilds: { hub: DEFAULT_GUILD_PERMISSIONS, small: DEFAULT_GUILD_PERMISSIONS },
    },
    {
      name: "carol",
      admin: false,
      guilds: { hub: CAROL_PERMISSIONS, midnight: CAROL_PERMISSIONS },
    },
    {
      name: "dave",
      admin: false,
      guilds: { hub: DAVE_PERMISSIONS, midnight: DAVE_PERMISSIONS, tiny: DAVE_PERMISSIONS },
    },
  ];

/** A well-mixed 32-bit seed for the independent random stream number `stream`. */
function deriveSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A fresh user with a generated name that is not in `taken` yet. */
function randomUser(rng: Random, taken: Set<string>): User {
  return {
    id: rng.snowflake(),
    username: randomUniqueName(rng, taken),
    avatar: randomAvatar(rng),
    discriminator: randomDiscriminator(rng),
  };
}

/** Up to `count` distinct users of `pool`, chosen at random. */
function sampleUsers(rng: Random, pool: readonly User[], count: number): User[] {
  const wanted = Math.min(count, pool.length);
  const chosen = new Set<number>();
  for (let attempts = 0; chosen.size < wanted && attempts < wanted * 20; attempts++) {
    chosen.add(rng.int(0, pool.length - 1));
  }
  return [...chosen].map((i) => pool[i] as User);
}

/**
 * The demo gateway's dataset: four guilds of very different sizes ("Architus Hub" with
 * `bigGuildMembers` members, "Midnight Guild" ~2,500, "Small Talk" ~40, "Tiny Test" 5), the
 * users behind every member (some people are in several guilds), and the demo accounts
 * alice, bob, carol and dave, and who of each guild is online (10 % of the hub, 20 % of
 * Midnight, a third of the small guilds; idle and dnd among them). Deterministic for a given
 * `seed` and `now`; guild and demo user ids depend on `seed` only.
 */
export function generateDataset(options: GenerateDatasetOptions): Dataset {
  const { seed, now } = options;
  const layout = createRandom(deriveSeed(seed, 0));
  const guildIds = Object.fromEntries(GUILD_KEYS.map((k) => [k, layout.snowflake()])) as Record<
    GuildKey,
    Snowflake
  >;
  const users = new Map<Snowflake, User>();
  const demoUsers: DemoUser[] = DEMO_ACCOUNTS.map((account) => {
    const user: User = {
      id: layout.snowflake(),
      username: account.name,
      avatar: null,
      discriminator: "0001",
    };
    users.set(user.id, user);
    const guilds: Record<Snowflake, number> = {};
    for (const key of GUILD_KEYS) {
      const permissions = account.guilds[key];
      if (permissions !== undefined) guilds[guildIds[key]] = permissions;
    }
    return {
      id: user.id,
      name: account.name,
      admin: account.admin,
      permissions: account.admin ? ALL_PERMISSIONS : 0,
      guilds,
    };
  });

  const sizes: Record<GuildKey, number> = {
    hub: options.bigGuildMembers ?? 50_000,
    midnight: layout.int(2400, 2600),
    small: layout.int(36, 44),
    tiny: 5,
  };
  const shapes: Record<GuildKey, Omit<GuildSpec, "id" | "members">> = {
    hub: {
      name: "Architus Hub",
      channels: layout.int(30, 40),
      roles: layout.int(20, 30),
      emoji: layout.int(15, 20),
      autoResponses: layout.int(10, 15),
      hasIcon: true,
    },
    midnight: {
      name: "Midnight Guild",
      channels: layout.int(15, 25),
      roles: layout.int(10, 18),
      emoji: layout.int(5, 12),
      autoResponses: layout.int(5, 10),
      hasIcon: true,
    },
    small: {
      name: "Small Talk",
      channels: layout.int(8, 12),
      roles: layout.int(4, 8),
      emoji: layout.int(0, 3),
      autoResponses: layout.int(3, 6),
      hasIcon: true,
    },
    tiny: { name: "Tiny Test", channels: 5, roles: 3, emoji: 0, autoResponses: 3, hasIcon: false },
  };

  const guilds = new Map<Snowflake, GuildRecord>();
  const privateChannels = new Set<Snowflake>();
  const hubPeople: User[] = [];
  const usernames = new Set(DEMO_ACCOUNTS.map((a) => a.name));
  GUILD_KEYS.forEach((key, index) => {
    const rng = createRandom(deriveSeed(seed, index + 1));
    const members: MemberSeed[] = [];
    DEMO_ACCOUNTS.forEach((account, i) => {
      const user = users.get(demoUsers[i]?.id ?? "");
      if (user && account.guilds[key] !== undefined) {
        members.push({ user, demo: true, roleNames: account.admin ? ["Admin"] : [] });
      }
    });
    const target = Math.max(sizes[key], members.length);
    const shared =
      key === "hub" ? [] : sampleUsers(rng, hubPeople, Math.round((target - members.length) * 0.3));
    for (const user of shared) members.push({ user });
    while (members.length < target) {
      const user = randomUser(rng, usernames);
      users.set(user.id, user);
      if (key === "hub") hubPeople.push(user);
      members.push({ user });
    }
    const { guild, privateChannelIds } = generateGuild(
      rng,
      { ...shapes[key], id: guildIds[key], members },
      now,
    );
    guilds.set(guild.id, guild);
    for (const id of privateChannelIds) privateChannels.add(id);
  });

  // Who is online (Extension 2), each guild from a stream of its own, so nothing else changes.
  const onlineShare: Record<GuildKey, number> = { hub: 0.1, midnight: 0.2, small: 1 / 3, tiny: 1 / 3 };
  GUILD_KEYS.forEach((key, index) => {
    const guild = guilds.get(guildIds[key]);
    if (!guild) return;
    const rng = createRandom(deriveSeed(seed, 5000 + index));
    guild.presence = generatePresence(rng, [...guild.pools.member.keys()], onlineShare[key]);
  });

  const alice = demoUsers.find((u) => u.admin);
  for (let k = 1; k <= (options.extraGuilds ?? 0); k++) {
    const rng = createRandom(deriveSeed(seed, 1000 + k));
    const members: MemberSeed[] = sampleUsers(rng, hubPeople, 20).map((user) => ({ user }));
    const aliceUser = users.get(alice?.id ?? "");
    if (alice && aliceUser) members.push({ user: aliceUser, demo: true, roleNames: ["Admin"] });
    const spec = {
      name: `Bench Guild ${k}`,
      channels: 5,
      roles: 3,
      emoji: 0,
      autoResponses: 3,
      hasIcon: false,
    };
    const { guild, privateChannelIds } = generateGuild(rng, { ...spec, id: rng.snowflake(), members }, now);
    const presenceRng = createRandom(deriveSeed(seed, 6000 + k));
    guild.presence = generatePresence(presenceRng, [...guild.pools.member.keys()], 1 / 3);
    guilds.set(guild.id, guild);
    for (const id of privateChannelIds) privateChannels.add(id);
    if (alice) alice.guilds[guild.id] = ALL_PERMISSIONS;
  }

  return { guilds, users, demoUsers, privateChannels };
}

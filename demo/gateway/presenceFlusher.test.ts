import { describe, expect, it } from "vitest";
import type { LogPresencePayload, Member } from "../../src/protocol";
import { MAX_PRESENCE_UPDATES } from "../../src/schema/serverPayloads";
import { createInProcessBroker, presenceTopic } from "./broker";
import type { TopicEvent } from "./topicEvent";
import { generateDataset } from "./dataset/generateDataset";
import { withStatus } from "./dataset/guildPresence";
import { createEventLog } from "./eventLog";
import { PRESENCE_FLUSH_MS, createPresenceFlusher, framesOf } from "./presenceFlusher";
import { createManualClock } from "./test/manualClock";

/** A flusher over a small dataset, its frames as published, and a manual clock. */
async function setUp() {
  const dataset = generateDataset({ seed: 3, now: 0, bigGuildMembers: 3000 });
  const [guildId, guild] = [...dataset.guilds].find(([, g]) => g.name === "Midnight Guild")!;
  const clock = createManualClock(1_000_000);
  const broker = createInProcessBroker();
  const published: LogPresencePayload[] = [];
  await broker.subscribe(presenceTopic(guildId), (m) => published.push(JSON.parse(m) as LogPresencePayload));
  const flusher = createPresenceFlusher({
    dataset,
    events: createEventLog<TopicEvent>(),
    broker,
    clock,
    maxBytes: 64 * 1024,
    onError: (e) => {
      throw e;
    },
  });
  const ids = [...guild.pools.member.keys()];
  const offline = ids.filter((id) => guild.presence.statusOf(id) === "offline");
  const online = ids.filter((id) => guild.presence.statusOf(id) !== "offline");
  // Publishing is a microtask after the flush (the seq is taken at once).
  const advance = async (ms: number) => {
    clock.advance(ms);
    await new Promise((r) => setImmediate(r));
  };
  return { guildId, guild, flusher, published, offline, online, advance };
}

describe("presence flusher", () => {
  it("coalesces: each member once with its latest status, none when back where it started", async () => {
    const { guildId, guild, flusher, published, offline, online, advance } = await setUp();
    const [a, b] = offline;
    const [c, d] = online;
    flusher.change(guildId, a!, "online");
    flusher.change(guildId, a!, "idle"); // offline → idle: comes with the whole member
    flusher.change(guildId, b!, "dnd");
    flusher.change(guildId, b!, "offline"); // back where it started: nothing
    flusher.change(guildId, c!, "offline");
    flusher.change(guildId, d!, guild.presence.statusOf(d!) === "dnd" ? "idle" : "dnd");
    // Pending changes are the producer's; what is published has not moved yet.
    expect(flusher.statusOf(guildId, a!)).toBe("idle");
    expect(guild.presence.statusOf(a!)).toBe("offline");
    expect(flusher.pending()).toBe(4);
    await advance(0);
    expect(published).toHaveLength(1);
    const [frame] = published;
    expect(frame!.seq).toBe(1);
    expect(frame!.updates.map((u) => u.id)).toEqual([a, c, d]);
    expect(frame!.updates[0]).toEqual({
      id: a,
      status: "idle",
      member: withStatus(guild.pools.member.get(a!) as Member, guild.presence),
    });
    expect(frame!.updates[1]).toEqual({ id: c, status: "offline" });
    expect(frame!.updates[2]?.member).toBeUndefined();
    // The flush published them: what pool answers show now.
    expect(guild.presence.statusOf(a!)).toBe("idle");
    expect(guild.presence.statusOf(c!)).toBe("offline");
    expect(guild.presence.statusOf(b!)).toBe("offline");
    expect(flusher.pending()).toBe(0);
  });

  it("flushes a guild at most once a second", async () => {
    const { guildId, flusher, published, offline, advance } = await setUp();
    flusher.change(guildId, offline[0]!, "online");
    await advance(0);
    expect(published).toHaveLength(1);
    flusher.change(guildId, offline[1]!, "online");
    await advance(PRESENCE_FLUSH_MS - 1);
    expect(published).toHaveLength(1);
    flusher.change(guildId, offline[2]!, "idle");
    await advance(1);
    expect(published).toHaveLength(2);
    expect(published[1]!.updates.map((u) => u.id)).toEqual([offline[1], offline[2]]);
    // Quiet for longer than a second: the next change goes at once.
    await advance(5000);
    flusher.change(guildId, offline[3]!, "online");
    await advance(0);
    expect(published.map((f) => f.seq)).toEqual([1, 2, 3]);
  });

  it("splits a flush into frames of at most 1,000 updates within the payload cap", async () => {
    const { guildId, guild, flusher, published, offline, advance } = await setUp();
    // Members coming online carry their whole entity: about 250 bytes an update.
    for (const id of offline) flusher.change(guildId, id, "online");
    await advance(0);
    expect(published.length).toBeGreaterThan(1);
    for (const frame of published) {
      expect(frame.updates.length).toBeLessThanOrEqual(MAX_PRESENCE_UPDATES);
      expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThanOrEqual(64 * 1024);
    }
    expect(published.map((f) => f.seq)).toEqual(published.map((_, i) => i + 1));
    expect(published.flatMap((f) => f.updates).length).toBe(offline.length);
    expect(guild.presence.size).toBe(guild.pools.member.size);
    // Short updates: the 1,000-update limit comes first.
    const short = Array.from({ length: 2500 }, (_, i) => ({ id: String(i + 1), status: "offline" as const }));
    expect(framesOf(guildId, short, 64 * 1024).map((f) => f.length)).toEqual([1000, 1000, 500]);
  });
});

import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { LogPresencePayload, PresenceStatus } from "../../../src/protocol";
import { presenceTopic } from "../../gateway/broker";
import type { TopicEvent } from "../../gateway/topicEvent";
import { generateDataset } from "../../gateway/dataset/generateDataset";
import { createRandom } from "../../gateway/dataset/random";
import { clusterNames } from "../clusterNames";
import { createPresenceSync } from "../presenceSync";
import { REPLAY_LIMIT, deleteStreams, latestSeq, presenceStateKey } from "../redisHistory";
import { createRedisTopicLog } from "../redisTopicLog";
import { REDIS_URL, uniquePrefix } from "./clusterHarness";

const redis = new Redis(REDIS_URL);
const names = clusterNames(uniquePrefix("presencesync")).streams;
afterEach(async () => void (await deleteStreams(redis, names)));
afterAll(() => redis.disconnect());

const generate = () => generateDataset({ seed: 5, now: 0, bigGuildMembers: 2000 });
const online = (ds: ReturnType<typeof generate>, guildId: string) =>
  new Map(ds.guilds.get(guildId)!.presence.online());

describe("a node's copy of the published presence", () => {
  it("catches up by history, or from the presence hash once history no longer reaches it", async () => {
    const producer = generate();
    const [guildId, guild] = [...producer.guilds].find(([, g]) => g.name === "Midnight Guild")!;
    const topic = presenceTopic(guildId);
    const log = await createRedisTopicLog(redis, names, [topic]);
    const rng = createRandom(9);
    const ids = [...guild.pools.member.keys()];
    const statuses: PresenceStatus[] = ["online", "idle", "dnd", "offline"];
    // More frames than history keeps, as the producer publishes them (its copy applied first).
    const frames = REPLAY_LIMIT + 150;
    const published: LogPresencePayload[] = [];
    for (let seq = 1; seq <= frames; seq++) {
      const updates = Array.from({ length: 3 }, () => ({ id: rng.pick(ids), status: rng.pick(statuses) }));
      const unique = [...new Map(updates.map((u) => [u.id, u])).values()];
      for (const u of unique) guild.presence.set(u.id, u.status);
      const logged = await log.append(topic, (s): TopicEvent => ({
        guild_id: guildId,
        seq: s,
        updates: unique,
      }));
      published.push(logged.value as LogPresencePayload);
    }
    log.close();
    expect(await latestSeq(redis, names, topic)).toBe(frames);

    // A copy at seq 0: history starts after 150, so the hash rebuilds it.
    const stale = generate();
    const far = createPresenceSync({
      redis,
      names,
      dataset: stale,
      onError: (e) => {
        throw e;
      },
    });
    await far.catchUp(guildId);
    expect(far.applied(guildId)).toBe(frames);
    expect(online(stale, guildId)).toEqual(online(producer, guildId));

    // A copy within history (it took the first 400 live): the rest frame by frame from history.
    const near = generate();
    const sync = createPresenceSync({
      redis,
      names,
      dataset: near,
      onError: (e) => {
        throw e;
      },
    });
    for (const frame of published.slice(0, 400)) sync.live(frame);
    expect(sync.applied(guildId)).toBe(400);
    // Without the hash, only history can make this copy right.
    await redis.del(presenceStateKey(names, guildId));
    await sync.catchUp(guildId);
    expect(sync.applied(guildId)).toBe(frames);
    expect(online(near, guildId)).toEqual(online(producer, guildId));
    // A live frame that is next applies; one already in is ignored.
    const id = ids[0]!;
    sync.live({ guild_id: guildId, seq: frames + 1, updates: [{ id, status: "dnd" }] });
    sync.live({ guild_id: guildId, seq: frames, updates: [{ id, status: "offline" }] });
    expect(near.guilds.get(guildId)!.presence.statusOf(id)).toBe("dnd");
    expect(sync.applied(guildId)).toBe(frames + 1);
  });
});

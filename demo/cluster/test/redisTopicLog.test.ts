import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { TopicEvent } from "../../gateway/topicEvent";
import { clusterNames } from "../clusterNames";
import { deleteStreams, readSince } from "../redisHistory";
import { createRedisTopicLog, TopicLogClosedError } from "../redisTopicLog";
import { REDIS_URL, uniquePrefix } from "./clusterHarness";

const redis = new Redis(REDIS_URL);
const names = clusterNames(uniquePrefix("topiclog")).streams;
afterEach(async () => void (await deleteStreams(redis, names)));
afterAll(() => redis.disconnect());

type Mode = "ok" | "fail" | "lose-reply";

/** The same client, except that XADD fails (Redis away) or is stored with its reply lost, as `mode` says. */
function faultyRedis(): { client: Redis; mode: Mode; failed: number } {
  const faults = { client: redis, mode: "ok" as Mode, failed: 0 };
  faults.client = new Proxy(redis, {
    get(target, key, receiver) {
      if (key !== "xadd") return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<Redis["xadd"]>) => {
        if (faults.mode === "ok") return target.xadd(...args);
        faults.failed++;
        if (faults.mode === "lose-reply") await target.xadd(...args);
        throw new Error("Connection is closed.");
      };
    },
  });
  return faults;
}

const event = (seq: number): TopicEvent =>
  ({ guild_id: "1", seq, action: 3001, timestamp: seq }) as unknown as TopicEvent;

const stored = async (topic: string) => (await readSince(redis, names, topic, 0, 100))!.map((e) => e.seq);

describe("the producer's topic log on Redis", () => {
  it("a failed XADD is retried in order: seq N+1 is never stored before N, history has no hole", async () => {
    const faults = faultyRedis();
    const errors: unknown[] = [];
    let threeFailures = () => {};
    const outage = new Promise<void>((resolve) => (threeFailures = resolve));
    const log = await createRedisTopicLog(faults.client, names, ["g"], {
      retryMs: 5,
      onError: (e) => {
        errors.push(e);
        if (errors.length === 3) threeFailures();
      },
    });
    await log.append("g", event);
    faults.mode = "fail";
    const second = log.append("g", event);
    const third = log.append("g", event);
    await outage;
    expect(await stored("g")).toEqual([1]);
    faults.mode = "ok";
    expect((await second).seq).toBe(2);
    expect((await third).seq).toBe(3);
    expect(await stored("g")).toEqual([1, 2, 3]);
    expect(String(errors[0])).toContain("storing seq 2 failed");
    log.close();
  });

  it("an XADD stored but whose reply was lost is not added twice", async () => {
    const faults = faultyRedis();
    const log = await createRedisTopicLog(faults.client, names, ["g"], { retryMs: 5 });
    faults.mode = "lose-reply";
    expect((await log.append("g", event)).seq).toBe(1);
    faults.mode = "ok";
    expect((await log.append("g", event)).seq).toBe(2);
    expect(await stored("g")).toEqual([1, 2]);
    log.close();
  });

  it("closed while Redis is away: waiting entries reject with TopicLogClosedError", async () => {
    const faults = faultyRedis();
    const log = await createRedisTopicLog(faults.client, names, ["g"], { retryMs: 5 });
    faults.mode = "fail";
    const pending = log.append("g", event);
    const next = log.append("g", event);
    log.close();
    await expect(pending).rejects.toBeInstanceOf(TopicLogClosedError);
    await expect(next).rejects.toBeInstanceOf(TopicLogClosedError);
    expect(await stored("g")).toEqual([]);
  });

  it("starts from the seq history holds", async () => {
    const first = await createRedisTopicLog(redis, names, ["g"]);
    await first.append("g", event);
    await first.append("g", event);
    const again = await createRedisTopicLog(redis, names, ["g"]);
    expect(again.latest("g")).toBe(2);
    expect((await again.append("g", event)).seq).toBe(3);
  });
});

import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { TopicEvent } from "../../gateway/topicEvent";
import { DATASET_EPOCH } from "../../gateway/createGateway";
import { generateDataset } from "../../gateway/dataset/generateDataset";
import { createEventLog } from "../../gateway/eventLog";
import { createClusterHistory } from "../clusterHistory";
import { clusterNames } from "../clusterNames";
import { deleteStreams } from "../redisHistory";
import { REDIS_URL, uniquePrefix } from "./clusterHarness";

const redis = new Redis(REDIS_URL);
const names = clusterNames(uniquePrefix("resync")).streams;
afterEach(async () => void (await deleteStreams(redis, names)));
afterAll(() => redis.disconnect());

/** The same client, except that each XREVRANGE (a topic's latest seq) answers what it read only on `open()`. */
function heldReads() {
  let open: () => void = () => {};
  let asked: () => void = () => {};
  const wasAsked = new Promise<void>((resolve) => (asked = resolve));
  const client = new Proxy(redis, {
    get(target, key, receiver) {
      if (key !== "xrevrange") return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<Redis["xrevrange"]>) => {
        const read = await target.xrevrange(...args);
        const gate = new Promise<void>((resolve) => (open = resolve));
        asked();
        await gate;
        return read;
      };
    },
  });
  return { client, wasAsked, open: () => open() };
}

describe("a broker reconnect while a topic's history is read", () => {
  it("reads it again afterwards: what was published during the outage is delivered", async () => {
    const topic = "42_logs";
    const held = heldReads();
    const events = createEventLog<TopicEvent>();
    const errors: unknown[] = [];
    const history = createClusterHistory({
      redis: held.client,
      names,
      events,
      dataset: generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: 100 }),
      onError: (e) => errors.push(e),
    });
    const ready = history.subscribed(topic); // reads the latest seq (0): held
    await held.wasAsked;
    // Published while RabbitMQ was away (in history, never received live); then it is back.
    for (let seq = 1; seq <= 3; seq++)
      await redis.xadd(names.key(topic), `0-${seq}`, "p", JSON.stringify({ guild_id: "42", seq }));
    history.resync([topic]);
    held.open();
    await ready;
    expect(events.latest(topic)).toBe(3);
    expect(events.since(topic, 0)?.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(errors).toEqual([]);
  });
});

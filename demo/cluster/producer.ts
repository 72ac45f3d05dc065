import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createActivity, type Activity } from "../gateway/activity";
import { logsTopic, poolTopic, presenceTopic } from "../gateway/broker";
import { systemClock } from "../gateway/clock";
import { DATASET_EPOCH } from "../gateway/createGateway";
import { generateDataset } from "../gateway/dataset/generateDataset";
import { createRandom } from "../gateway/dataset/random";
import { HttpError, activityBody, applyRate, parse, serveRoutes } from "../gateway/httpRoutes";
import { createAmqpBroker } from "./amqpBroker";
import { createConfirmedPublisher } from "./confirmedPublisher";
import { clusterNames } from "./clusterNames";
import { createPoolSync } from "./poolSync";
import { createPresenceSync } from "./presenceSync";
import { connectRedis } from "./redisHistory";
import { createRedisTopicLog } from "./redisTopicLog";

export interface ProducerOptions {
  prefix: string;
  amqpUrl: string;
  redisUrl: string;
  port?: number;
  seed?: number;
  /** Members of the biggest guild (every node must use the same). */
  members?: number;
  /** More small guilds (benchmarks; every node must use the same). */
  extraGuilds?: number;
  /** Background events per second. */
  rate?: number;
}

export interface Producer {
  url: string;
  activity: Activity;
  stop(): Promise<void>;
}

/**
 * The event producer of a cluster, apart from the gateway nodes: it changes the dataset, numbers
 * each event once per topic, adds it to history (Redis) and then publishes it (RabbitMQ).
 * What RabbitMQ does not confirm is published again from history once it is back.
 */
export async function startProducer(options: ProducerOptions): Promise<Producer> {
  const names = clusterNames(options.prefix);
  const seed = options.seed ?? 1;
  const dataset = generateDataset({
    seed,
    now: DATASET_EPOCH,
    ...(options.members !== undefined ? { bigGuildMembers: options.members } : {}),
    ...(options.extraGuilds ? { extraGuilds: options.extraGuilds } : {}),
  });
  const onError = (error: unknown) =>
    console.error("producer:", error instanceof Error ? error.message : error);
  const redis = await connectRedis(options.redisUrl, onError);
  // A restarted producer first replays the pool changes it made before into its fresh dataset,
  // and brings its presence to what it published.
  const pools = createPoolSync({ redis, names: names.streams, dataset, onError });
  const presence = createPresenceSync({ redis, names: names.streams, dataset, onError });
  for (const guildId of dataset.guilds.keys()) {
    await pools.catchUp(guildId);
    await presence.catchUp(guildId);
  }
  const topics = [...dataset.guilds.keys()].flatMap((g) => [poolTopic(g), logsTopic(g), presenceTopic(g)]);
  const log = await createRedisTopicLog(redis, names.streams, topics, { onError });
  let republish = () => {};
  const amqp = await createAmqpBroker({
    url: options.amqpUrl,
    exchange: names.exchange,
    name: `${names.prefix} producer`,
    onError,
    onReconnect: () => republish(),
  });

  const broker = createConfirmedPublisher({ amqp, redis, names: names.streams, onError });
  republish = () => void broker.republish().catch(onError);
  const activity = createActivity({
    dataset,
    events: log,
    broker,
    clock: systemClock,
    // A fresh history gives the single gateway's sequence; a restarted producer draws another
    // one, so the entities it creates do not reuse the ids of those its previous run created.
    random: createRandom(seed ^ 0x5eed ^ topics.reduce((sum, t) => sum + log.latest(t), 0)),
    onError,
  });

  const http = createServer(
    serveRoutes({
      "GET /stats": () => ({
        ...broker.counts(),
        rabbitmq_connected: amqp.connected(),
        activity_rate: activity.rate(),
        activity_load: activity.load(),
        latest: Object.fromEntries(topics.map((t) => [t, log.latest(t)])),
      }),
      "POST /dev/activity": async (body: unknown) => {
        const { guild_id, kind, count } = parse(activityBody, body);
        if (!dataset.guilds.has(guild_id)) throw new HttpError(404, `unknown guild ${guild_id}`);
        return { published: await activity.publish(guild_id, kind, count) };
      },
      "POST /dev/rate": (body: unknown) => applyRate(activity, body),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  if (options.rate) activity.setRate(options.rate);
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    activity,
    async stop() {
      activity.stop();
      log.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await broker.close();
      redis.disconnect();
    },
  };
}

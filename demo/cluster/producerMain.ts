import { parseArgs } from "node:util";
import { DEFAULT_AMQP_URL } from "./amqpBroker";
import { exitOnSignals, failStart, intArg } from "./cliArgs";
import { DEFAULT_REDIS_URL } from "./clusterNames";
import { startProducer } from "./producer";

/** `tsx demo/cluster/producerMain.ts --prefix P [--port N] [--seed N] [--members N] [--extra-guilds N] [--exit-with-stdin] [--rate N]` */
const { values } = parseArgs({
  options: {
    prefix: { type: "string", default: "architus" },
    port: { type: "string" },
    seed: { type: "string" },
    members: { type: "string" },
    "extra-guilds": { type: "string" },
    "exit-with-stdin": { type: "boolean", default: false },
    rate: { type: "string" },
  },
});
const producer = await startProducer({
  prefix: values.prefix,
  amqpUrl: process.env.AMQP_URL ?? DEFAULT_AMQP_URL,
  redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  port: intArg("port", values.port, 0),
  seed: intArg("seed", values.seed, 1),
  members: intArg("members", values.members, 50_000),
  extraGuilds: intArg("extra-guilds", values["extra-guilds"], 0),
  rate: intArg("rate", values.rate, 0),
}).catch((error: unknown) => failStart("producer", error));
process.stdout.write(`producer listening on ${producer.url} pid ${process.pid}\n`);
exitOnSignals(() => producer.stop(), values["exit-with-stdin"]);

import { parseArgs } from "node:util";
import { DEFAULT_AMQP_URL } from "./amqpBroker";
import { exitOnSignals, failStart, intArg } from "./cliArgs";
import { DEFAULT_REDIS_URL } from "./clusterNames";
import { startNode } from "./node";

/** `tsx demo/cluster/nodeMain.ts --id N --producer URL --prefix P [--port N] [--seed N] [--members N] [--extra-guilds N] [--exit-with-stdin] [--production]` */
const { values } = parseArgs({
  options: {
    id: { type: "string", default: "1" },
    prefix: { type: "string", default: "architus" },
    producer: { type: "string" },
    port: { type: "string" },
    seed: { type: "string" },
    members: { type: "string" },
    "extra-guilds": { type: "string" },
    "exit-with-stdin": { type: "boolean", default: false },
    production: { type: "boolean", default: false },
  },
});
if (!values.producer) failStart("node", new Error("--producer URL is required"));
const id = intArg("id", values.id, 1);
const node = await startNode({
  id,
  prefix: values.prefix,
  amqpUrl: process.env.AMQP_URL ?? DEFAULT_AMQP_URL,
  redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
  producerUrl: values.producer,
  port: intArg("port", values.port, 0),
  seed: intArg("seed", values.seed, 1),
  members: intArg("members", values.members, 50_000),
  extraGuilds: intArg("extra-guilds", values["extra-guilds"], 0),
  production: values.production,
}).catch((error: unknown) => failStart(`node ${id}`, error));
process.stdout.write(`node ${id} listening on ${node.gateway.url} pid ${process.pid}\n`);
exitOnSignals(() => node.stop(), values["exit-with-stdin"]);

import { parseArgs } from "node:util";
import { exitOnSignals, failStart, intArg } from "./cliArgs";
import { startCluster } from "./startCluster";

/**
 * `npm run cluster -- --nodes 3 --port 0 [--prefix P] [--members N] [--rate N] [--seed N]`:
 * the producer, N gateway nodes and HAProxy in front of them (RabbitMQ at AMQP_URL, Redis at REDIS_URL).
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "3" },
    port: { type: "string", default: "4100" },
    prefix: { type: "string", default: "architus" },
    members: { type: "string" },
    rate: { type: "string" },
    seed: { type: "string" },
  },
});
const nodes = intArg("nodes", values.nodes, 3);
if (nodes < 1) failStart("cluster", new Error("--nodes must be at least 1"));
const cluster = await startCluster({
  nodes,
  port: intArg("port", values.port, 4100),
  prefix: values.prefix,
  members: intArg("members", values.members, 50_000),
  rate: intArg("rate", values.rate, 20),
  seed: intArg("seed", values.seed, 1),
}).catch((error: unknown) => failStart("cluster", error));
process.stdout.write(`cluster listening on ${cluster.url}\n`);
process.stdout.write(`balancer pid ${cluster.balancerPid}\n`);
process.stdout.write(`producer listening on ${cluster.producer.url} pid ${cluster.producer.pid}\n`);
cluster.nodes.forEach((node, i) =>
  process.stdout.write(`node ${i + 1} listening on ${node.url} pid ${node.pid}\n`),
);
exitOnSignals(() => cluster.stop());

import { parseArgs } from "node:util";
import { intArg } from "./cliArgs";
import { createGateway } from "./createGateway";

/**
 * `npm run gateway -- --port N [--seed N] [--rate N] [--presence-rate N] [--members N] [--host H]
 * [--production]`
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4100" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "1" },
    rate: { type: "string", default: "20" },
    "presence-rate": { type: "string", default: "20" },
    members: { type: "string" },
    production: { type: "boolean", default: false },
  },
});

const members = values.members === undefined ? undefined : intArg("members", values.members, 0);
const gateway = await createGateway({
  port: intArg("port", values.port, 4100),
  host: values.host,
  seed: intArg("seed", values.seed, 1),
  rate: intArg("rate", values.rate, 0),
  presenceRate: intArg("presence-rate", values["presence-rate"], 0),
  production: values.production,
  ...(members !== undefined ? { bigGuildMembers: members } : {}),
});
console.log(`gateway listening on ${gateway.url}`);

const shutdown = () => {
  void gateway.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

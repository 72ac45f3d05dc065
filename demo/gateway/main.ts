import { parseArgs } from "node:util";
import { createGateway } from "./createGateway";

/** `npm run gateway -- --port N [--seed N] [--rate N] [--members N] [--host H] [--production]` */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4100" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "1" },
    rate: { type: "string", default: "20" },
    members: { type: "string" },
    production: { type: "boolean", default: false },
  },
});

function int(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const members = int("members", values.members);
const gateway = await createGateway({
  port: int("port", values.port) ?? 4100,
  host: values.host,
  seed: int("seed", values.seed) ?? 1,
  rate: int("rate", values.rate) ?? 0,
  production: values.production,
  ...(members !== undefined ? { bigGuildMembers: members } : {}),
});
console.log(`gateway listening on ${gateway.url}`);

const shutdown = () => {
  void gateway.stop().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

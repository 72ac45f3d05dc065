/**
 * `npm start`: the reference gateway with its embedded defaults (seeded dataset, background
 * activity, dev endpoints), on 127.0.0.1. Set PORT to move it.
 */
import { createGateway } from "./gateway/createGateway";

const port = Number(process.env.PORT ?? 4100);
const gateway = await createGateway({ port, rate: 20 });
console.log(`gateway listening on ${gateway.url}`);
console.log(`  stats:        ${gateway.url}/stats`);
console.log(`  demo users:   ${gateway.url}/dev/dataset`);
console.log("Press Ctrl+C to stop.");

const shutdown = () => void gateway.stop().then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

/**
 * `npm start`: the reference gateway (seeded dataset, background activity, dev endpoints) and
 * the demo app, both on 127.0.0.1. PORT moves the gateway (default 4100), DEMO_PORT the app (5173).
 */
import { startDevServer } from "./devServer";
import { createGateway } from "./gateway/createGateway";

const port = Number(process.env.PORT ?? 4100);
const demoPort = Number(process.env.DEMO_PORT ?? 5173);
// Background activity: 20 log events and 20 presence changes a second.
const gateway = await createGateway({ port, rate: 20, presenceRate: 20 });
console.log(`gateway listening on ${gateway.url}`);
const demo = await startDevServer({ root: "demo/app", port: demoPort });
console.log(`demo app: ${demo.url}/?gateway=${encodeURIComponent(gateway.url)}`);
console.log("Open it in several tabs: they share one connection. Press Ctrl+C to stop.");

const shutdown = () => void Promise.all([gateway.stop(), demo.server.close()]).then(() => process.exit(0));
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

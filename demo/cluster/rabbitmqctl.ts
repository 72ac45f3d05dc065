/** RabbitMQ's own view and controls, through `rabbitmqctl` (on PATH, with the right to use it). */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * RabbitMQ's own view of a queue's bindings on `exchange`: the routing keys, sorted, as
 * `rabbitmqctl list_bindings` reports them (needs rabbitmqctl on PATH and the right to use it).
 */
export async function brokerBindings(exchange: string, queue: string): Promise<string[]> {
  const { stdout } = await run(
    "rabbitmqctl",
    ["list_bindings", "-q", "source_name", "destination_name", "routing_key", "--formatter", "json"],
    { timeout: 15_000 },
  );
  const rows = JSON.parse(stdout) as { source_name: string; destination_name: string; routing_key: string }[];
  return rows
    .filter((row) => row.source_name === exchange && row.destination_name === queue)
    .map((row) => row.routing_key)
    .sort();
}

/**
 * Closes, from RabbitMQ's side, every connection whose name starts with `prefix` (as a broker
 * restart would, without touching anyone else's). Returns how many it closed.
 */
export async function closeConnections(prefix: string): Promise<number> {
  // The JSON listing has the client's connection name but a pid close_connection refuses;
  // the plain one has that pid: they meet on the connection's address (`name`).
  const json = await run(
    "rabbitmqctl",
    ["list_connections", "-q", "name", "client_properties", "--formatter", "json"],
    {
      timeout: 15_000,
    },
  );
  const rows = JSON.parse(json.stdout) as { name: string; client_properties: [string, string, unknown][] }[];
  const names = new Set(
    rows
      .filter((row) =>
        row.client_properties.some(
          ([key, , value]) =>
            key === "connection_name" && typeof value === "string" && value.startsWith(prefix),
        ),
      )
      .map((row) => row.name),
  );
  const plain = await run("rabbitmqctl", ["list_connections", "-q", "--no-table-headers", "pid", "name"], {
    timeout: 15_000,
  });
  const pids = plain.stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([, name]) => name !== undefined && names.has(name))
    .map(([pid]) => pid ?? "");
  for (const pid of pids)
    await run("rabbitmqctl", ["close_connection", pid, "test: broker outage"], { timeout: 15_000 });
  return pids.length;
}

/**
 * Stops or starts the RabbitMQ application of this machine's broker (`rabbitmqctl stop_app` /
 * `start_app`): a real restart, every connection and exclusive queue gone. For fault runs.
 */
export async function rabbitApp(action: "stop_app" | "start_app"): Promise<void> {
  await run("rabbitmqctl", [action], { timeout: 60_000 });
}

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

import type { Diagnostics, GatewayClient } from "../../../src";

/** The IndexedDB cache in one line: state, size, and its counters. */
const cacheLine = (c: Diagnostics["cache"]) =>
  `cache ${c.status}${c.reason ? ` (${c.reason})` : ""} · ${c.pools} pools of ${c.partitions} user(s), ` +
  `~${Math.round(c.approxBytes / 1024)} KiB · hits ${c.hits} · misses ${c.misses} · writes ${c.writes} · ` +
  `discarded ${c.discarded} · errors ${c.errors}`;
import { useObservable } from "../../../src/react";
import { GatewayDevtools } from "../../../src/devtools-react";

/** What the worker knows: tabs and the cache in a line each; the rest in the devtools panel. */
export function DiagnosticsPanel({ client }: { client: GatewayClient }) {
  const [diagnostics] = useObservable<Diagnostics | null>(client.diagnostics$, null);
  return (
    <section>
      <h2>Diagnostics</h2>
      <div data-testid="tabs">
        {diagnostics ? `${diagnostics.tabs} tab(s) on worker ${diagnostics.workerId.slice(0, 8)}` : "…"}
      </div>
      <div data-testid="cache-line">
        {diagnostics ? cacheLine(diagnostics.cache) : "…"}{" "}
        <button onClick={() => void client.clearCache()} data-testid="clear-cache">
          clear cache
        </button>
      </div>
      <GatewayDevtools client={client} actions />
    </section>
  );
}

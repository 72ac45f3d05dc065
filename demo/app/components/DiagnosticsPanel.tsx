import type { Diagnostics, GatewayClient } from "../../../src";
import { useObservable } from "../../../src/react";

/** What the worker knows: tabs, socket, spectated guild, subscriptions, counters, versions. */
export function DiagnosticsPanel({ client }: { client: GatewayClient }) {
  const [diagnostics] = useObservable<Diagnostics | null>(client.diagnostics$, null);
  return (
    <section>
      <h2>Diagnostics</h2>
      <div data-testid="tabs">
        {diagnostics ? `${diagnostics.tabs} tab(s) on worker ${diagnostics.workerId.slice(0, 8)}` : "…"}
      </div>
      <pre>{diagnostics ? JSON.stringify(diagnostics, null, 1) : ""}</pre>
    </section>
  );
}

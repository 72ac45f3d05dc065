// A dashboard page on the shared connection: log in, spectate a guild, show its channels and live log.
import { connectGateway, type LogEntry } from "@architus/gateway-connection";
import { useObservable } from "@architus/gateway-connection/react";
import { Suspense, lazy, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";

const params = new URLSearchParams(location.search);
const gatewayUrl = params.get("gateway") ?? "http://127.0.0.1:4100";
// `devtools: true` lets the devtools panel's actions through (development builds only).
const gateway = connectGateway({ url: gatewayUrl, devtools: params.has("devtools") });
// The devtools panel, loaded only when asked for (`?devtools`): an app that never shows it never
// downloads it. A real app would test `import.meta.env.DEV` instead.
const Devtools = params.has("devtools")
  ? lazy(() =>
      import("@architus/gateway-connection/devtools/react").then((m) => ({ default: m.GatewayDevtools })),
    )
  : null;

/** Logs in with a development token of the reference gateway, then spectates a guild. */
async function start(): Promise<string> {
  const dataset = await (await fetch(`${gatewayUrl}/dev/dataset`)).json();
  const user = dataset.users[0];
  const body = JSON.stringify({ user_id: user.id, ttl_s: 3600 });
  const { token } = await (await fetch(`${gatewayUrl}/dev/token`, { method: "POST", body })).json();
  await gateway.login(token); // a real app passes the JWT of its own login flow
  const guild = params.get("guild") ?? Object.keys(user.guilds)[0];
  if (!guild) throw new Error(`${user.name} is in no guild`);
  await gateway.spectate(guild);
  return guild;
}

function App() {
  const [guildId, setGuildId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => void start().then(setGuildId, (e: Error) => setFailure(e.message)), []);
  const [session] = useObservable(gateway.session$, { status: "anonymous" });
  const channels$ = useMemo(() => (guildId ? gateway.pool("channel", { guildId }).all$() : null), [guildId]);
  const [channels] = useObservable(channels$, null);
  const [log, setLog] = useState<{ count: number; last: LogEntry[] }>({ count: 0, last: [] });
  useEffect(() => {
    if (!guildId) return;
    const subscription = gateway
      .logs$(guildId)
      .subscribe((batch) => setLog((l) => ({ count: l.count + batch.length, last: batch.slice(-5) })));
    return () => subscription.unsubscribe();
  }, [guildId]);
  const count = channels?.status === "ready" ? channels.entities.length : "…";
  const names = channels?.entities.map((c) => <li key={c.id}>#{c.name}</li>);
  const entries = log.last.map((e) => <li key={e.seq}>{`#${e.seq}: action ${e.action.action_number}`}</li>);
  return (
    <main>
      <h1>archit.us gateway · Vite + React</h1>
      <p id="session">{failure ?? session.status}</p>
      <h2>Channels ({<span id="channels">{count}</span>})</h2>
      <ul>{names}</ul>
      <h2>Live log ({<span id="logs">{log.count}</span>})</h2>
      <ol>{entries}</ol>
      {Devtools && (
        <Suspense fallback={null}>
          <Devtools client={gateway} open actions />
        </Suspense>
      )}
    </main>
  );
}

createRoot(document.getElementById("root")!).render(<App />);

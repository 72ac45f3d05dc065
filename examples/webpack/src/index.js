// A dashboard page on the shared connection: log in, spectate a guild, show its channels and live log.
import { connectGateway, WORKER_NAME } from "@architus/gateway-connection";
import { useObservable } from "@architus/gateway-connection/react";
import { createElement as h, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";

const params = new URLSearchParams(location.search);
const gatewayUrl = params.get("gateway") ?? "http://127.0.0.1:4100";
// `?worker=/path.js`: a copy of the package's dist/worker.js that the app hosts itself (README).
const hosted = params.get("worker");
const worker = (shared) =>
  shared
    ? new SharedWorker(hosted, { type: "module", name: WORKER_NAME })
    : new Worker(hosted, { type: "module" });
const gateway = connectGateway({ url: gatewayUrl, ...(hosted ? { worker } : {}) });

/** Logs in with a development token of the reference gateway, then spectates a guild. */
async function start() {
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
  const [guildId, setGuildId] = useState(null);
  const [failure, setFailure] = useState(null);
  useEffect(() => void start().then(setGuildId, (e) => setFailure(e.message)), []);
  const [session] = useObservable(gateway.session$, { status: "anonymous" });
  const channels$ = useMemo(() => (guildId ? gateway.pool("channel", { guildId }).all$() : null), [guildId]);
  const [channels] = useObservable(channels$, null);
  const [log, setLog] = useState({ count: 0, last: [] });
  useEffect(() => {
    if (!guildId) return;
    const subscription = gateway
      .logs$(guildId)
      .subscribe((batch) => setLog((l) => ({ count: l.count + batch.length, last: batch.slice(-5) })));
    return () => subscription.unsubscribe();
  }, [guildId]);
  const count = channels?.status === "ready" ? channels.entities.length : "…";
  const names = channels?.entities.map((c) => h("li", { key: c.id }, `#${c.name}`));
  const entries = log.last.map((e) => h("li", { key: e.seq }, `#${e.seq}: action ${e.action.action_number}`));
  return h(
    "main",
    null,
    h("h1", null, "archit.us gateway · webpack + React"),
    h("p", { id: "session" }, failure ?? session.status),
    h("h2", null, "Channels (", h("span", { id: "channels" }, count), ")"),
    h("ul", null, names),
    h("h2", null, "Live log (", h("span", { id: "logs" }, log.count), ")"),
    h("ol", null, entries),
  );
}

createRoot(document.body.appendChild(document.createElement("div"))).render(h(App));

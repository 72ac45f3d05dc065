"use client";
// A dashboard page on the shared connection: log in, spectate a guild, show its channels and live log.
import { connectGateway } from "@architus/gateway-connection";
import { GatewayProvider, useGateway, useObservable } from "@architus/gateway-connection/react";
import { useEffect, useMemo, useState } from "react";

/** One client per page, made in the browser only (never while Next renders on the server). */
let client = null;
const gatewayUrl = () => new URLSearchParams(location.search).get("gateway") ?? "http://127.0.0.1:4100";

/** Logs in with a development token of the reference gateway, then spectates a guild. */
async function start(gateway) {
  const url = gatewayUrl();
  const dataset = await (await fetch(`${url}/dev/dataset`)).json();
  const user = dataset.users[0];
  const body = JSON.stringify({ user_id: user.id, ttl_s: 3600 });
  const { token } = await (await fetch(`${url}/dev/token`, { method: "POST", body })).json();
  await gateway.login(token); // a real app passes the JWT of its own login flow
  const guild = new URLSearchParams(location.search).get("guild") ?? Object.keys(user.guilds)[0];
  if (!guild) throw new Error(`${user.name} is in no guild`);
  await gateway.spectate(guild);
  return guild;
}

function Guild() {
  const gateway = useGateway();
  const [guildId, setGuildId] = useState(null);
  const [failure, setFailure] = useState(null);
  useEffect(() => void start(gateway).then(setGuildId, (e) => setFailure(e.message)), [gateway]);
  const [session] = useObservable(gateway.session$, { status: "anonymous" });
  const channels$ = useMemo(
    () => (guildId ? gateway.pool("channel", { guildId }).all$() : null),
    [gateway, guildId],
  );
  const [channels] = useObservable(channels$, null);
  const [log, setLog] = useState(0);
  useEffect(() => {
    if (!guildId) return;
    const subscription = gateway.logs$(guildId).subscribe((batch) => setLog((n) => n + batch.length));
    return () => subscription.unsubscribe();
  }, [gateway, guildId]);
  return (
    <>
      <p id="session">{failure ?? session.status}</p>
      <h2>
        Channels (<span id="channels">{channels?.status === "ready" ? channels.entities.length : "…"}</span>)
      </h2>
      <h2>
        Live log (<span id="logs">{log}</span>)
      </h2>
    </>
  );
}

export default function Dashboard() {
  const [gateway, setGateway] = useState(null);
  useEffect(() => setGateway((client ??= connectGateway({ url: gatewayUrl() }))), []);
  if (!gateway) return <p id="session">starting</p>;
  return (
    <GatewayProvider client={gateway}>
      <Guild />
    </GatewayProvider>
  );
}

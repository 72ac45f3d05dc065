// A dashboard on the Redux binding: log in and spectate through the store, show the session, the
// channels, the online members and the live log from the store, each component holding its spec.
import { useGatewayLogs, useGatewayPool } from "@architus/gateway-connection/redux-react";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { Provider, useSelector } from "react-redux";
import { gateway, gatewayUrl, store } from "./store";

/** Logs in with a development token of the reference gateway, then spectates a guild. */
async function start(): Promise<string> {
  const dataset = await (await fetch(`${gatewayUrl}/dev/dataset`)).json();
  const user = dataset.users[0];
  const body = JSON.stringify({ user_id: user.id, ttl_s: 3600 });
  const { token } = await (await fetch(`${gatewayUrl}/dev/token`, { method: "POST", body })).json();
  // A real app passes the JWT of its own login flow. The token never enters the store.
  const login = await store.dispatch(gateway.actions.login(token));
  if (login.type === "gateway/login/rejected") throw new Error(`login: ${login.error.code}`);
  const guild = new URLSearchParams(location.search).get("guild") ?? Object.keys(user.guilds)[0];
  if (!guild) throw new Error(`${user.name} is in no guild`);
  const spectate = await store.dispatch(gateway.actions.spectate(guild));
  if (spectate.type === "gateway/spectate/rejected") throw new Error(`spectate: ${spectate.error.code}`);
  return guild;
}

/** One start per page (StrictMode runs effects twice in development). */
let started: Promise<string> | null = null;
const startOnce = () => (started ??= start());

/** `…` until ready, then the count; the error code when it failed. */
function count(slice: { status: string; ids: readonly string[]; error: { code: unknown } | null }) {
  if (slice.status === "error") return `error ${String(slice.error?.code)}`;
  return slice.status === "ready" ? String(slice.ids.length) : "…";
}

function Channels({ guildId }: { guildId: string }) {
  const channels = useGatewayPool(gateway, { pool: "channel", guildId });
  return (
    <section>
      <h2>Channels ({<span id="channels">{count(channels)}</span>})</h2>
      <ul>
        {channels.ids.slice(0, 10).map((id) => (
          <li key={id}>#{channels.entities[id]?.name}</li>
        ))}
      </ul>
    </section>
  );
}

function Online({ guildId }: { guildId: string }) {
  const online = useGatewayPool(gateway, { pool: "member", guildId, view: "online" });
  return <h2>Online ({<span id="online">{count(online)}</span>})</h2>;
}

function Roles({ guildId }: { guildId: string }) {
  const roles = useGatewayPool(gateway, { pool: "role", guildId });
  return <h2>Roles ({<span id="roles">{count(roles)}</span>})</h2>;
}

function Logs({ guildId }: { guildId: string }) {
  const logs = useGatewayLogs(gateway, guildId, { limit: 500 });
  return (
    <section>
      <h2>Live log ({<span id="logs">{logs.entries.length}</span>})</h2>
      <ol>
        {logs.entries.slice(-5).map((e) => (
          <li key={e.seq}>{`#${e.seq}: action ${e.action.action_number}`}</li>
        ))}
      </ol>
    </section>
  );
}

function App() {
  const [guildId, setGuildId] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [showRoles, setShowRoles] = useState(true);
  useEffect(() => void startOnce().then(setGuildId, (e: Error) => setFailure(e.message)), []);
  const session = useSelector(gateway.selectors.session);
  return (
    <main>
      <h1>archit.us gateway · Redux Toolkit + react-redux</h1>
      <p id="session">{failure ?? session?.status ?? "…"}</p>
      {guildId && (
        <>
          <Channels guildId={guildId} />
          <Online guildId={guildId} />
          {showRoles && <Roles guildId={guildId} />}
          <button id="unmount-roles" onClick={() => setShowRoles(false)}>
            unmount roles
          </button>
          <Logs guildId={guildId} />
        </>
      )}
    </main>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <Provider store={store}>
      <App />
    </Provider>
  </StrictMode>,
);

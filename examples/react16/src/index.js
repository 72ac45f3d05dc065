// React 16.14 on both bindings: the hooks of `./react` (usePool, useLogs, useSession, on the
// use-sync-external-store shim) and the Redux binding (react-redux 7, Redux Toolkit 1.9).
import { connectGateway } from "@architus/gateway-connection";
import { GatewayProvider, useLogs, usePool, useSession } from "@architus/gateway-connection/react";
import { createGatewayRedux } from "@architus/gateway-connection/redux";
import { useGatewayLogs, useGatewayPool } from "@architus/gateway-connection/redux-react";
import { configureStore } from "@reduxjs/toolkit";
import { createElement as h, useEffect, useState } from "react";
import { render } from "react-dom";
import { Provider, useSelector } from "react-redux";

const params = new URLSearchParams(location.search);
const gatewayUrl = params.get("gateway") ?? "http://127.0.0.1:4100";
const client = connectGateway({ url: gatewayUrl });
const gateway = createGatewayRedux(client);
const store = configureStore({
  reducer: { gateway: gateway.reducer },
  middleware: (getDefault) => getDefault().prepend(gateway.middleware),
});

/** Logs in (through the store) with a development token of the reference gateway, then spectates a guild. */
async function start() {
  const dataset = await (await fetch(`${gatewayUrl}/dev/dataset`)).json();
  const user = dataset.users[0];
  const body = JSON.stringify({ user_id: user.id, ttl_s: 3600 });
  const { token } = await (await fetch(`${gatewayUrl}/dev/token`, { method: "POST", body })).json();
  const login = await store.dispatch(gateway.actions.login(token)); // a real app passes its own JWT
  if (login.error) throw new Error(`login: ${login.error.code}`);
  const guild = params.get("guild") ?? Object.keys(user.guilds)[0];
  if (!guild) throw new Error(`${user.name} is in no guild`);
  const spectate = await store.dispatch(gateway.actions.spectate(guild));
  if (spectate.error) throw new Error(`spectate: ${spectate.error.code}`);
  return guild;
}

const ready = (count, ok) => (ok ? String(count) : "…");

/** The `./react` hooks. */
function Hooks({ guildId }) {
  const channels = usePool("channel", { guildId });
  const logs = useLogs(guildId, { limit: 500 });
  return h(
    "section",
    null,
    h(
      "h2",
      null,
      "Channels (",
      h(
        "span",
        { id: "channels" },
        ready(channels.value?.entities.length, channels.value?.status === "ready"),
      ),
      ")",
    ),
    h("h2", null, "Live log (", h("span", { id: "logs" }, logs.entries.length), ")"),
  );
}

/** The Redux binding. */
function Redux({ guildId }) {
  const channels = useGatewayPool(gateway, { pool: "channel", guildId });
  const logs = useGatewayLogs(gateway, guildId, { limit: 500 });
  const session = useSelector(gateway.selectors.session);
  return h(
    "section",
    null,
    h("p", { id: "redux-session" }, session ? session.status : "…"),
    h(
      "h2",
      null,
      "Channels in the store (",
      h("span", { id: "redux-channels" }, ready(channels.ids.length, channels.status === "ready")),
      ")",
    ),
    h("h2", null, "Log in the store (", h("span", { id: "redux-logs" }, logs.entries.length), ")"),
  );
}

function App() {
  const [guildId, setGuildId] = useState(null);
  const [failure, setFailure] = useState(null);
  useEffect(() => void start().then(setGuildId, (e) => setFailure(e.message)), []);
  const session = useSession();
  return h(
    "main",
    null,
    h("h1", null, "archit.us gateway · React 16 + Redux Toolkit 1.9"),
    h("p", { id: "session" }, failure ?? (session ? session.status : "…")),
    guildId && h(Hooks, { guildId }),
    guildId && h(Redux, { guildId }),
  );
}

render(
  h(Provider, { store }, h(GatewayProvider, { client }, h(App))),
  document.body.appendChild(document.createElement("div")),
);

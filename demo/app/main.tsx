import { createRoot } from "react-dom/client";
import { connectGateway, type GatewayClient, type GatewayMode } from "../../src";
import { GatewayProvider } from "../../src/react";
import { App } from "./App";

declare global {
  interface Window {
    /** The demo's client, for console use: `await gateway.interpret({...})`. */
    gateway: GatewayClient;
  }
}

const params = new URLSearchParams(location.search);
const gatewayUrl = params.get("gateway") ?? `http://${location.hostname}:4100`;
// `?mode=leader|per-tab|shared` (default auto); `?shared=0` is the older spelling of per-tab.
const mode = (params.get("mode") ?? (params.get("shared") === "0" ? "per-tab" : "auto")) as
  "auto" | GatewayMode;
// The demo is a development app: its devtools panel may drop the socket, restart the worker, re-spectate.
const client = connectGateway({ url: gatewayUrl, mode, devtools: true });
window.gateway = client;

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <GatewayProvider client={client}>
      <App client={client} gatewayUrl={gatewayUrl} />
    </GatewayProvider>,
  );

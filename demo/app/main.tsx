import { createRoot } from "react-dom/client";
import { connectGateway, type GatewayClient } from "../../src";
import { App } from "./App";

declare global {
  interface Window {
    /** The demo's client, for console use: `await gateway.interpret({...})`. */
    gateway: GatewayClient;
  }
}

const params = new URLSearchParams(location.search);
const gatewayUrl = params.get("gateway") ?? `http://${location.hostname}:4100`;
const client = connectGateway({ url: gatewayUrl, shared: params.get("shared") !== "0" });
window.gateway = client;

const root = document.getElementById("root");
if (root) createRoot(root).render(<App client={client} gatewayUrl={gatewayUrl} />);

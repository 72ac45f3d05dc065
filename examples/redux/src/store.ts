// The store: Redux Toolkit with its default middlewares (serializability and immutability checks
// on), the gateway binding, and a recorder the consumer tests read.
import { connectGateway, type GatewayClient } from "@architus/gateway-connection";
import { createGatewayRedux } from "@architus/gateway-connection/redux";
import { configureStore, type Middleware } from "@reduxjs/toolkit";

declare global {
  interface Window {
    /** Types of the `gateway/login/*` and `gateway/spectate/*` actions that reached the reducers. */
    __actions: string[];
    /** Every console.warn / console.error of the page. */
    __warnings: string[];
    /** The client, once the binding made it (for `diagnostics$`). */
    __client: GatewayClient | null;
    __store: typeof store;
  }
}

window.__actions = [];
window.__warnings = [];
window.__client = null;
const { warn, error } = console;
console.warn = (...args: unknown[]) => {
  window.__warnings.push(`warn: ${args.map(String).join(" ")}`);
  warn(...args);
};
console.error = (...args: unknown[]) => {
  window.__warnings.push(`error: ${args.map(String).join(" ")}`);
  error(...args);
};

export const gatewayUrl = new URLSearchParams(location.search).get("gateway") ?? "http://127.0.0.1:4100";

/** The binding: the client is made on the first dispatch in the browser (never during a server build). */
export const gateway = createGatewayRedux(() => (window.__client = connectGateway({ url: gatewayUrl })), {
  // A short linger, so the consumer test sees an unmounted component's subscription go soon.
  keepUnusedForMs: 1000,
});

const recorder: Middleware = () => (next) => (action) => {
  const type = (action as { type?: unknown }).type;
  if (typeof type === "string" && /^gateway\/(login|spectate)\//.test(type)) window.__actions.push(type);
  return next(action);
};

export const store = configureStore({
  reducer: { gateway: gateway.reducer },
  middleware: (getDefault) => getDefault().prepend(gateway.middleware).concat(recorder),
});
window.__store = store;

import { createContext, createElement, useContext, type ReactNode } from "react";
import { GatewayError } from "../shared/GatewayError";
import type { GatewayClient } from "../client/connectGateway";

const GatewayContext = createContext<GatewayClient | null>(null);

/**
 * Gives the components below it the client of `connectGateway` (one per app: create it once,
 * outside render). The hooks of this module read it.
 *
 * @example
 * ```tsx
 * const gateway = connectGateway({ url: "https://gateway.archit.us" });
 * root.render(<GatewayProvider client={gateway}><App /></GatewayProvider>);
 * ```
 */
export function GatewayProvider(props: { client: GatewayClient; children?: ReactNode }) {
  return createElement(GatewayContext.Provider, { value: props.client }, props.children);
}

/** The client of the nearest `GatewayProvider`; throws `bad_input` outside of one. */
export function useGateway(): GatewayClient {
  const client = useContext(GatewayContext);
  if (!client)
    throw new GatewayError("bad_input", "useGateway and the gateway hooks need a <GatewayProvider>");
  return client;
}

import { createElement, useEffect, useRef, type ReactElement } from "react";
import { mountDevtools, type DevtoolsClient, type DevtoolsOptions } from "../devtools";

export interface GatewayDevtoolsProps extends Pick<DevtoolsOptions, "open" | "minIntervalMs" | "actions"> {
  client: DevtoolsClient;
}

/**
 * The devtools panel as a React component (React 16.8 and later): `mountDevtools` into a
 * `div` of its own while mounted, again when `client` changes, unmounted with the component.
 * `open`, `minIntervalMs` and `actions` are read when it mounts.
 */
export function GatewayDevtools({
  client,
  open,
  minIntervalMs,
  actions,
}: GatewayDevtoolsProps): ReactElement {
  const host = useRef<HTMLDivElement>(null);
  const options = useRef({ open, minIntervalMs, actions });
  useEffect(() => {
    if (!host.current) return undefined;
    return mountDevtools(host.current, client, options.current);
  }, [client]);
  return createElement("div", { ref: host, "data-gateway-devtools": "" });
}

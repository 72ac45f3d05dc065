import { useSelector } from "react-redux";
import type { GatewayRedux } from "../redux/createGatewayRedux";
import type { LogsSlice } from "../redux/gatewayState";
import { useGatewaySubscription } from "./useGatewaySubscription";

/**
 * A guild's live log mirrored in the store, held while the component is mounted: the window of
 * its newest entries (`{entries, gap, received, limit, error}`, entries oldest first). `limit`
 * (default 100) is this component's wish; the window keeps the largest limit subscribed. Null
 * holds nothing (`EMPTY_LOGS_SLICE`). It changes once per delivery batch, not once per entry.
 */
export function useGatewayLogs(
  gateway: GatewayRedux,
  guildId: string | null,
  options: { limit?: number } = {},
): LogsSlice {
  const spec =
    guildId === null
      ? null
      : options.limit === undefined
        ? { logs: guildId }
        : { logs: guildId, limit: options.limit };
  useGatewaySubscription(gateway, spec);
  return useSelector((state: unknown) => gateway.selectors.logWindow(state, guildId));
}

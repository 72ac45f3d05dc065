import { useSelector } from "react-redux";
import type { PoolEntities, PoolType } from "../protocol/entities";
import type { GatewayRedux } from "../redux/createGatewayRedux";
import type { PoolSlice } from "../redux/gatewayState";
import type { PoolStreamSpec } from "../redux/streamSpec";
import { useGatewaySubscription } from "./useGatewaySubscription";

/**
 * A pool mirrored in the store, held while the component is mounted: subscribes on mount,
 * releases on unmount (see {@link useGatewaySubscription}) and returns the spec's slice
 * (`{status, ids, entities, loaded, total, stale, source, error, …}`; `EMPTY_POOL_SLICE`, status
 * `idle`, until it is in the store, and for a null spec). The component renders again only when
 * the slice changes; rows memoised on `slice.entities[id]` only when their entity does.
 *
 * @example
 * ```tsx
 * const channels = useGatewayPool(gateway, { pool: "channel", guildId });
 * const member = useGatewayPool(gateway, { pool: "member", guildId, ids: [id] }).entities[id];
 * ```
 */
export function useGatewayPool<T extends PoolType>(
  gateway: GatewayRedux,
  spec: PoolStreamSpec<T> | null,
): PoolSlice<PoolEntities[T]> {
  const held = useGatewaySubscription(gateway, spec);
  return useSelector((state: unknown) => gateway.selectors.pool(state, held as PoolStreamSpec<T> | null));
}

import { useEffect, useMemo } from "react";
import { useDispatch } from "react-redux";
import type { GatewayRedux } from "../redux/createGatewayRedux";
import {
  isLogsSpec,
  normalizeStreamSpec,
  type NormalizedStreamSpec,
  type StreamSpec,
} from "../redux/streamSpec";

/** One string per spec (a logs spec's limit included): the effect runs again only when it changes. */
const identity = (spec: NormalizedStreamSpec) => JSON.stringify(spec);

/**
 * Holds one reference on `spec` while the component is mounted: dispatches
 * `gateway.actions.subscribe(spec)` on mount and `release(spec)` on unmount (and both when the spec
 * changes). StrictMode's mount, unmount and mount again end with one client subscription: the
 * release's linger (`keepUnusedForMs`) covers the remount. Null holds nothing.
 *
 * @returns The normalized spec (stable while the spec does not change), or null.
 * @throws {GatewayError} `bad_input` during render for a bad spec.
 */
export function useGatewaySubscription(
  gateway: GatewayRedux,
  spec: StreamSpec | null,
): NormalizedStreamSpec | null {
  const dispatch = useDispatch();
  const normalized = spec === null ? null : normalizeStreamSpec(spec);
  const id = normalized === null ? null : identity(normalized);
  // The same object for as long as the spec reads the same (specs are usually literals in render).
  const stable = useMemo(() => normalized, [id]);
  useEffect(() => {
    if (stable === null) return;
    const held = isLogsSpec(stable) ? { logs: stable.logs, limit: stable.limit } : stable;
    dispatch(gateway.actions.subscribe(held));
    return () => {
      dispatch(gateway.actions.release(held));
    };
  }, [dispatch, gateway, stable]);
  return stable;
}

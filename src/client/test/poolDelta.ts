import type { PoolDelta } from "../../shared/tabProtocol";

/** A pool delta for tests: a ready, fresh, empty change from the network, with `over` on top. */
export const poolDelta = (over: Partial<PoolDelta> = {}): PoolDelta => ({
  reset: false,
  upsert: [],
  remove: [],
  nonexistent: [],
  status: "ready",
  loaded: 0,
  total: null,
  error: null,
  source: "network",
  stale: false,
  savedAt: null,
  ...over,
});

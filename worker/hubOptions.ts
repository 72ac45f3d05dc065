import type { Clock } from "../src/shared";
import type { OpenStore } from "./cache/keyValueStore";
import type { SocketFactory } from "./gateway/gatewayLink";

export interface HubOptions {
  /** Time of tokens, expiry and request timeouts. */
  clock: Clock;
  /** Short scheduling windows (delivery and request batching, diagnostics). Default: the system clock. */
  scheduler?: Clock;
  socketFactory: SocketFactory;
  workerId: string;
  buildId: string;
  /** Per-request timeout. Default 15 s. */
  requestTimeoutMs?: number;
  /** Window in which by-id pool requests of all tabs are batched. Default 10 ms. */
  batchWindowMs?: number;
  /** Delivery batching window per tab. Default 16 ms. */
  deliveryWindowMs?: number;
  /** Refresh a token this long before it expires. Default 60 s. */
  refreshLeadMs?: number;
  /** Worker diagnostics log (never given tokens). */
  log?: (message: string) => void;
  /** A Web Lock the worker holds for its whole life: a tab granted it knows the worker is gone. */
  workerLock?: string | null;
  /** Opens the pool cache's storage (IndexedDB in browsers); absent: memory only. */
  openCacheStore?: OpenStore;
  /** Coalescing window of cache writes. Default 1 s. */
  cacheWriteIntervalMs?: number;
  /**
   * How long a restored guild pool waits for a spectate of its guild (which catches it up by
   * seq) before it is fetched again instead. Default 1.5 s.
   */
  catchUpGraceMs?: number;
  /** Ends the worker (devtools' `restart`): `self.close()` in a browser. Absent: refused. */
  exit?: () => void;
}

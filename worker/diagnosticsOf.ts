import { PROTOCOL_VERSION } from "../src/protocol";
import {
  TAB_PROTOCOL_VERSION,
  type CacheDiagnostics,
  type ConnectionState,
  type Diagnostics,
  type GatewayMode,
} from "../src/shared";

/** The parts diagnostics read (each narrowed to what is shown of it). */
export interface DiagnosticsSources {
  workerId: string;
  buildId: string;
  role: { mode: GatewayMode; leaderTabId: string | null };
  tabs: { readonly size: number; counts(): Record<string, number>; backlogs(): number[] };
  link: { readonly state: ConnectionState };
  spectator: {
    readonly guildId: string | null;
    readonly includeLogs: boolean;
    readonly batchMs: number | null;
  };
  requests: { readonly pendingCount: number };
  counters: { readonly values: Record<string, number> };
  pools: { sent: { all: number; byId: number }; readonly size: number };
  /** The pool cache, or null before the first tab made it. */
  cache: { diagnostics(): CacheDiagnostics } | null;
}

/** What the worker shows of itself (never the token). */
export function diagnosticsOf(d: DiagnosticsSources): Diagnostics {
  const { spectator } = d;
  return {
    workerId: d.workerId,
    versions: { protocol: PROTOCOL_VERSION, tabProtocol: TAB_PROTOCOL_VERSION, build: d.buildId },
    tabs: d.tabs.size,
    mode: d.role.mode,
    leaderTabId: d.role.leaderTabId,
    connection: d.link.state,
    spectating: {
      guildId: spectator.guildId,
      includeLogs: spectator.includeLogs,
      batchMs: spectator.batchMs,
    },
    subscriptions: d.tabs.counts(),
    pendingRequests: d.requests.pendingCount,
    backlogs: d.tabs.backlogs(),
    counters: {
      ...d.counters.values,
      poolAllRequests: d.pools.sent.all,
      poolByIdRequests: d.pools.sent.byId,
      poolsHeld: d.pools.size,
    },
    cache: d.cache?.diagnostics() ?? {
      status: "unavailable",
      reason: "no tab has connected yet",
      partitions: 0,
      pools: 0,
      approxBytes: 0,
      hits: 0,
      misses: 0,
      writes: 0,
      discarded: 0,
      errors: 0,
      writeMs: 0,
      readMs: 0,
      decodeMs: 0,
    },
  };
}

import { PROTOCOL_VERSION } from "../src/protocol";
import { TAB_PROTOCOL_VERSION, type Diagnostics, type GatewayMode } from "../src/shared";
import type { PoolCache } from "./cache/poolCache";
import type { Counters } from "./counters";
import type { GatewayLink } from "./gateway/gatewayLink";
import type { Requests } from "./gateway/requests";
import type { Pools } from "./pools/pools";
import type { Spectator } from "./spectate/spectator";

/** What diagnostics read of the hub (a type: the hub itself is passed). */
export interface DiagnosticsSources {
  options: { workerId: string; buildId: string };
  tabCount: number;
  role: { mode: GatewayMode; leaderTabId: string | null };
  link: Pick<GatewayLink, "state">;
  spectator: Pick<Spectator, "guildId" | "includeLogs" | "batchMs">;
  requests: Pick<Requests, "pendingCount">;
  backlogs: number[];
  counters: Pick<Counters, "values">;
  pools: Pick<Pools, "sent" | "size">;
  cache: Pick<PoolCache, "diagnostics"> | null;
}

/** What the worker shows of itself (never the token). */
export function diagnosticsOf(hub: DiagnosticsSources, subscriptions: Record<string, number>): Diagnostics {
  return {
    workerId: hub.options.workerId,
    versions: { protocol: PROTOCOL_VERSION, tabProtocol: TAB_PROTOCOL_VERSION, build: hub.options.buildId },
    tabs: hub.tabCount,
    mode: hub.role.mode,
    leaderTabId: hub.role.leaderTabId,
    connection: hub.link.state,
    spectating: {
      guildId: hub.spectator.guildId,
      includeLogs: hub.spectator.includeLogs,
      batchMs: hub.spectator.batchMs,
    },
    subscriptions,
    pendingRequests: hub.requests.pendingCount,
    backlogs: hub.backlogs,
    counters: {
      ...hub.counters.values,
      poolAllRequests: hub.pools.sent.all,
      poolByIdRequests: hub.pools.sent.byId,
      poolsHeld: hub.pools.size,
    },
    cache: hub.cache?.diagnostics() ?? {
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

import { PROTOCOL_VERSION } from "../src/protocol";
import { TAB_PROTOCOL_VERSION, type Diagnostics, type GatewayMode } from "../src/shared";
import type { PoolCache } from "./cache/poolCache";
import type { Counters } from "./counters";
import type { GatewayLink } from "./gateway/gatewayLink";
import type { Requests } from "./gateway/requests";
import type { Pools } from "./pools/pools";
import type { Session } from "./session/session";
import type { Spectator } from "./spectate/spectator";
import type { Tab } from "./tabs/tabSubscriptions";

/** What diagnostics read of the hub (a type: the hub itself is passed). */
export interface DiagnosticsSources {
  options: { workerId: string; buildId: string };
  role: { mode: GatewayMode; leaderTabId: string | null };
  link: Pick<GatewayLink, "state" | "transitions">;
  spectator: Pick<Spectator, "guildId" | "includeLogs" | "batchMs" | "seqs">;
  session: Pick<Session, "refreshers">;
  requests: Pick<Requests, "pendingCount">;
  counters: Pick<Counters, "values">;
  pools: Pick<Pools, "sent" | "size" | "all">;
  cache: Pick<PoolCache, "diagnostics"> | null;
}

/** How many subscriptions of each kind the tabs hold (for diagnostics). */
function subscriptionKinds(tabs: Iterable<Tab>): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const tab of tabs)
    for (const sub of tab.subscriptions.values()) kinds[sub.kind] = (kinds[sub.kind] ?? 0) + 1;
  return kinds;
}

/** What the worker shows of itself (never the token). */
export function diagnosticsOf(hub: DiagnosticsSources, tabs: Tab[]): Diagnostics {
  return {
    workerId: hub.options.workerId,
    versions: { protocol: PROTOCOL_VERSION, tabProtocol: TAB_PROTOCOL_VERSION, build: hub.options.buildId },
    tabs: tabs.length,
    mode: hub.role.mode,
    leaderTabId: hub.role.leaderTabId,
    connection: hub.link.state,
    // Copies throughout: the snapshot waits in delivery queues while the worker goes on.
    transitions: [...hub.link.transitions],
    spectating: {
      guildId: hub.spectator.guildId,
      includeLogs: hub.spectator.includeLogs,
      batchMs: hub.spectator.batchMs,
    },
    seqs: Object.fromEntries([...hub.spectator.seqs.held].map(([guild, held]) => [guild, { ...held }])),
    subscriptions: subscriptionKinds(tabs),
    tabList: tabs.map((tab) => ({
      id: tab.id,
      subscriptions: subscriptionKinds([tab]),
      backlog: tab.queue.size,
      latencyMs: [...tab.queue.latencies],
      devtools: tab.devtools,
    })),
    refreshers: hub.session.refreshers,
    pendingRequests: hub.requests.pendingCount,
    counters: {
      ...hub.counters.values,
      poolAllRequests: hub.pools.sent.all,
      poolByIdRequests: hub.pools.sent.byId,
      poolsHeld: hub.pools.size,
      replayedFrames: hub.spectator.seqs.replayed,
    },
    pools: [...hub.pools.all()].map((store) => ({
      ...store.meta,
      type: store.type,
      guildId: store.guildId,
      view: store.view,
      entities: store.entities.size,
      listeners: store.listeners,
      updatedAt: store.updatedAt,
    })),
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

import type { ConnectionState, Diagnostics, PoolDiagnostics } from "../../shared";

export const connection = (
  status: ConnectionState["status"],
  lastError: string | null = null,
  retryAt: number | null = null,
): ConnectionState => ({
  status,
  url: "http://127.0.0.1:1",
  socketId: status === "connected" ? "s1" : null,
  lastError,
  transport: status === "connected" ? "websocket" : null,
  retryAt,
});

export const pool = (over: Partial<PoolDiagnostics> = {}): PoolDiagnostics => ({
  type: "member",
  guildId: "7",
  view: null,
  entities: 3,
  status: "ready",
  complete: true,
  loaded: 3,
  total: 3,
  source: "network",
  stale: false,
  savedAt: null,
  loadingAll: false,
  error: null,
  listeners: 1,
  updatedAt: 500,
  ...over,
});

/** A diagnostics snapshot: `counters` and whatever else `over` replaces. */
export const diagnostics = (
  counters: Record<string, number>,
  over: Partial<Diagnostics> = {},
  cacheErrors = 0,
): Diagnostics => ({
  workerId: "w1",
  versions: { protocol: 1, tabProtocol: 6, build: "b" },
  tabs: 2,
  mode: "shared",
  leaderTabId: null,
  connection: connection("connected"),
  transitions: [],
  spectating: { guildId: null, includeLogs: false, batchMs: null },
  seqs: {},
  subscriptions: { pool: 1 },
  tabList: [
    {
      id: "tab-aaaaaaaa-1",
      subscriptions: { pool: 1 },
      backlog: 0,
      latencyMs: [1, 2, 3, 4, 40],
      devtools: true,
    },
    { id: "tab-bbbbbbbb-2", subscriptions: {}, backlog: 5, latencyMs: [], devtools: false },
  ],
  refreshers: 1,
  pendingRequests: 0,
  counters,
  pools: [pool()],
  cache: {
    status: "ready",
    reason: null,
    partitions: 1,
    pools: 2,
    approxBytes: 2048,
    hits: 1,
    misses: 0,
    writes: 3,
    discarded: 0,
    errors: cacheErrors,
    writeMs: 0,
    readMs: 0,
    decodeMs: 0,
  },
  ...over,
});

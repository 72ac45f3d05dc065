import {
  GatewayError,
  systemClock,
  type CacheSettings,
  type Clock,
  type ConnectionState,
} from "../src/shared";
import { PoolCache } from "./cache/poolCache";
import type { Counters } from "./counters";
import { createGatewayLink, type GatewayLink } from "./gateway/gatewayLink";
import { Requests } from "./gateway/requests";
import { routeFrame, type FrameDeps } from "./gateway/routeFrame";
import type { HubOptions } from "./hubOptions";
import { CatchUpGrace } from "./pools/catchUpGrace";
import { Pools } from "./pools/pools";
import { Session } from "./session/session";
import { UserData } from "./session/userData";
import type { Disposer } from "./signal";
import { Spectator } from "./spectate/spectator";
import { LogFanout } from "./tabs/logFanout";

/** The parts of a worker's core, wired to each other (see `Hub`). */
export interface HubParts {
  scheduler: Clock;
  link: GatewayLink;
  requests: Requests;
  session: Session;
  user: UserData;
  spectator: Spectator;
  pools: Pools;
  grace: CatchUpGrace;
  logs: LogFanout;
  frames: FrameDeps;
  /** The listeners between the parts, drained by the hub's dispose. */
  disposers: Disposer[];
}

/** What the hub keeps itself and the parts ask of it. */
export interface HubHooks {
  counters: Counters;
  /** The pool cache (null until the first tab said which one it wants). */
  cache(): PoolCache | null;
  /** The batching window to ask the gateway for (the first tab's `batchMs`). */
  batchMs(): number;
  /** The link's connection state changed. */
  status(state: ConnectionState): void;
  /** Something diagnostics show may have changed. */
  changed(): void;
}

/**
 * Makes the parts of a worker's core and wires them: the gateway link, whose frames are routed to
 * the spectator, pools, log fan-out, session and requests; the session, whose elevations resume the
 * spectate and whose user changes drop the user's data; the spectator, which asks the pools and
 * the log fan-out what the tabs view.
 */
export function createHubParts(options: HubOptions, hooks: HubHooks): HubParts {
  const { clock } = options;
  const scheduler = options.scheduler ?? systemClock;
  const link = createGatewayLink(
    options.socketFactory,
    { frame: (event, raw) => routeFrame(frames, event, raw), status: hooks.status },
    scheduler,
  );
  const requests: Requests = new Requests({
    link,
    clock,
    timeoutMs: options.requestTimeoutMs ?? 15_000,
    token: () => session.currentToken(),
    noLogin: (what) => session.loginNeeded(what),
  });
  const session: Session = new Session({ requests, clock, refreshLeadMs: options.refreshLeadMs ?? 60_000 });
  const pools: Pools = new Pools({
    requests,
    clock: scheduler,
    batchWindowMs: options.batchWindowMs ?? 10,
    cache: hooks.cache,
    seqOf: (guildId) => spectator.seqs.poolOf(guildId),
    seeded: (guildId, seq) => spectator.seqs.seed(guildId, seq),
    presenceAt: (guildId) => spectator.presenceAt(guildId),
    seededPresence: (guildId, seq) => spectator.presence.seed(guildId, seq),
    presenceSupport: () => spectator.presence.support,
  });
  const logs = new LogFanout();
  const spectator: Spectator = new Spectator({
    requests,
    logsWanted: (guildId) => logs.wanted(guildId),
    invalidateGuild: (guildId) => pools.invalidateGuild(guildId),
    authenticated: () => session.state.status === "authenticated",
    loginNeeded: (what) => session.loginNeeded(what),
    caughtUp: (guildId) => pools.caughtUp(guildId),
    restoring: (guildId) => pools.restoring(guildId),
    batchMs: hooks.batchMs,
    logsGap: (gap) => logs.gap(gap),
    presenceWanted: (guildId) => pools.viewed(guildId),
    presenceFlow: (guildId, fromSeq) => pools.presenceFlow(guildId, fromSeq),
  });
  const frames: FrameDeps = {
    counters: hooks.counters,
    spectator,
    pools,
    logs,
    requests,
    expired: () => session.expired(),
    log: options.log,
  };
  const grace = new CatchUpGrace({
    clock: scheduler,
    graceMs: options.catchUpGraceMs ?? 1500,
    spectator,
    refetch: (store) => pools.refetch(store),
  });
  const user = new UserData({
    clock,
    session,
    spectator,
    pools,
    cache: hooks.cache,
    failAuthenticated: (error) => requests.failAuthenticated(error),
    clearWaits: () => grace.clear(),
  });
  const disposers = [
    session.elevated.listen(() => spectator.resume()),
    session.userChanged.listen(() => user.userChanged()),
    session.changed.listen((state) => {
      if (state.status === "expired") spectator.reset(true);
      hooks.changed();
    }),
    spectator.changed.listen(hooks.changed),
  ];
  return { scheduler, link, requests, session, user, spectator, pools, grace, logs, frames, disposers };
}

/** Stops the parts: requests fail `closed`, the socket closes, timers and listeners go. */
export function disposeParts(parts: HubParts): void {
  parts.requests.failAll(new GatewayError("closed", "the worker stopped"));
  parts.link.close();
  parts.session.dispose();
  parts.pools.dispose();
  parts.grace.clear();
  for (const dispose of parts.disposers.splice(0)) dispose();
}

/** The pool cache with the first tab's settings (storage and timings from the hub's options). */
export function createPoolCache(
  options: HubOptions,
  settings: CacheSettings | false,
  changed: () => void,
): PoolCache {
  return new PoolCache({
    open: options.openCacheStore ?? null,
    settings,
    clock: options.clock,
    ...(options.cacheWriteIntervalMs !== undefined ? { writeIntervalMs: options.cacheWriteIntervalMs } : {}),
    ...(options.log ? { log: options.log } : {}),
    changed,
  });
}

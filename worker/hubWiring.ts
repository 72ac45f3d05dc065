import {
  TOKEN_ITEM,
  type CacheSettings,
  type Clock,
  type ConnectionState,
  type GatewayError,
} from "../src/shared";
import { PoolCache } from "./cache/poolCache";
import { createGatewayLink, type GatewayLink } from "./gateway/gatewayLink";
import { Requests } from "./gateway/requests";
import { routeFrame, type FrameTargets } from "./gateway/routeFrame";
import type { HubOptions } from "./hubOptions";
import { Pools } from "./pools/pools";
import type { Session } from "./session/session";
import { userChanged, type UserData } from "./session/userData";
import type { Signal } from "./signal";
import { Spectator } from "./spectate/spectator";
import type { LogSubscribers } from "./tabs/logSubscribers";
import type { Tab } from "./tabs/tabSubscriptions";

/** What the hub's parts ask of each other, through the hub (a type: the hub itself is passed). */
export interface WiredHub extends FrameTargets {
  readonly options: HubOptions;
  readonly link: GatewayLink;
  readonly scheduler: Clock;
  readonly requests: Requests;
  readonly session: Session;
  readonly spectator: Spectator;
  readonly pools: Pools;
  readonly logs: LogSubscribers;
  readonly connection: Signal<ConnectionState>;
  readonly changed: Signal<void>;
  readonly cache: PoolCache | null;
  readonly batchMs: number;
  loginNeeded(what: string): GatewayError;
}

/**
 * The gateway connection: its frames are routed to the parts, its status reaches the requests,
 * the session (re-elevated on a reconnect) and the spectator (reset on a drop).
 */
export function linkOf(hub: WiredHub): GatewayLink {
  return createGatewayLink(
    hub.options.socketFactory,
    {
      frame: (event, raw) => routeFrame(hub, event, raw),
      status: (state) => {
        const connected = state.status === "connected";
        hub.requests.setConnected(connected);
        if (connected) hub.session.reconnected();
        else hub.spectator.reset(true);
        hub.connection.emit(state);
        hub.changed.emit();
      },
    },
    hub.scheduler,
  );
}

/** The requests, sent with the session's token. */
export function requestsOf(hub: WiredHub): Requests {
  return new Requests({
    link: hub.link,
    clock: hub.options.clock,
    timeoutMs: hub.options.requestTimeoutMs ?? 15_000,
    token: () => hub.session.currentToken(),
    noLogin: (what) => hub.loginNeeded(what),
  });
}

/** The pools, which read the cache and ask the spectator for their guild's seqs and presence. */
export function poolsOf(hub: WiredHub): Pools {
  return new Pools({
    requests: hub.requests,
    clock: hub.scheduler,
    batchWindowMs: hub.options.batchWindowMs ?? 10,
    cache: () => hub.cache,
    seqOf: (guildId) => hub.spectator.poolSeqOf(guildId),
    seeded: (guildId, seq) => hub.spectator.seed(guildId, seq),
    presenceAt: (guildId) => hub.spectator.presenceAt(guildId),
    seededPresence: (guildId, seq) => hub.spectator.presence.seed(guildId, seq),
    presenceSupport: () => hub.spectator.presence.support,
  });
}

/** The spectator, which asks the session, the pools and the log subscribers what the tabs need. */
export function spectatorOf(hub: WiredHub): Spectator {
  return new Spectator({
    requests: hub.requests,
    logsWanted: (guildId) => (hub.logs.get(guildId)?.size ?? 0) > 0,
    invalidateGuild: (guildId) => hub.pools.invalidateGuild(guildId),
    authenticated: () => hub.session.state.status === "authenticated",
    loginNeeded: (what) => hub.loginNeeded(what),
    caughtUp: (guildId) => hub.pools.caughtUp(guildId),
    restoring: (guildId) => hub.pools.restoring(guildId),
    batchMs: () => hub.batchMs,
    logsGap: (gap) => {
      hub.counters.count(`logGap:${gap.reason}`);
      for (const subscriber of hub.logs.get(gap.guildId)?.values() ?? []) subscriber.gap(gap);
    },
    presenceWanted: (guildId) => hub.pools.viewed(guildId),
    presenceFlow: (guildId, fromSeq) => hub.pools.presenceFlow(guildId, fromSeq),
  });
}

/**
 * What the parts hear of each other: an elevation resumes the spectate, another user (or none)
 * drops the user's data, an expiry resets the spectate; the hub's `changed` follows both.
 */
export function listenToParts(hub: WiredHub, user: UserData, tabs: Map<string, Tab>): void {
  const { session, spectator, changed } = hub;
  session.elevated.listen(() => spectator.resume());
  session.userChanged.listen(() => userChanged(hub, user));
  let told: string | null = null;
  session.changed.listen((state) => {
    if (state.status === "expired") spectator.reset(true);
    // Every tab holds the session's token (see `TOKEN_ITEM`): told whenever it changes.
    const token = session.currentToken();
    if (token !== told)
      for (const tab of tabs.values()) tab.queue.push({ s: TOKEN_ITEM, t: "value", v: (told = token) });
    changed.emit();
  });
  spectator.changed.listen(() => changed.emit());
}

/** The pool cache, made with the first tab's settings (the hub tells it whose data it holds). */
export function cacheOf(hub: WiredHub, settings: CacheSettings | false): PoolCache {
  const { options } = hub;
  return new PoolCache({
    open: options.openCacheStore ?? null,
    settings,
    clock: options.clock,
    ...(options.cacheWriteIntervalMs !== undefined ? { writeIntervalMs: options.cacheWriteIntervalMs } : {}),
    ...(options.log ? { log: options.log } : {}),
    changed: () => hub.changed.emit(),
  });
}

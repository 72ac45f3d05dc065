import type { LogSubscribers } from "./tabs/logSubscribers";
import * as v from "valibot";
import type { InterpretReturnPayload } from "../src/protocol";
import { PROTOCOL_VERSION } from "../src/protocol";
import { SNOWFLAKE } from "../src/schema/common";
import { interpretSchema } from "../src/schema/interpret";
import {
  GatewayError,
  TAB_PROTOCOL_VERSION,
  systemClock,
  type Cancel,
  type Clock,
  type ConnectionState,
  type DeliveryItem,
  type Diagnostics,
  type HelloRequest,
  type GatewayMode,
  type HelloResponse,
  type InterpretMessage,
  type ReconnectSettings,
  type SessionState,
  type SpectatingState,
  type SubscriptionSpec,
} from "../src/shared";
import { PoolCache } from "./cache/poolCache";
import type { OpenStore } from "./cache/keyValueStore";
import { checkCacheSettings, checkReconnectSettings, sameCacheSettings } from "./cache/cacheSettings";
import { createDeliveryQueue, type DeliveryQueue } from "./tabs/deliveryQueue";
import {
  DEFAULT_RECONNECT,
  createGatewayLink,
  type GatewayLink,
  type SocketFactory,
} from "./gateway/gatewayLink";
import { Pools } from "./pools/pools";
import type { PoolStore } from "./pools/poolStore";
import { Requests } from "./gateway/requests";
import { Session, readClaims, type Refresher } from "./session/session";
import { Signal } from "./signal";
import { Spectator } from "./spectate/spectator";
import { openSubscription } from "./tabs/openSubscription";
import { validateSpec } from "./tabs/validateSpec";
import { Counters } from "./counters";
import { diagnosticsOf } from "./diagnosticsOf";
import { routeFrame } from "./gateway/routeFrame";

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
}

/** Subscriptions one tab may hold at once: the worker's memory stays bounded whatever a page does. */
export const MAX_SUBSCRIPTIONS_PER_TAB = 1000;

/** The range of `batch_ms` (PROTOCOL.md Extension 1; 0: single frames). */
export const BATCH_MS_RANGE = [0, 100] as const;

/** The range of a tab's `backlog` (see `HelloRequest.backlog`). */
export const BACKLOG_RANGE = [100, 1_000_000] as const;

interface Tab {
  id: string;
  queue: DeliveryQueue;
  subscriptions: Map<number, { kind: SubscriptionSpec["kind"]; dispose(): void }>;
}

/** `value` if it is an integer within `range` (inclusive), else `bad_input` naming it. */
function integerIn(name: string, value: unknown, [min, max]: readonly [number, number]): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    throw new GatewayError("bad_input", `${name} must be an integer in [${min}, ${max}]`);
  return value as number;
}

/** A setting every tab of one worker must share, asked otherwise: both values, as JSON. */
const mismatch = (what: string, ours: unknown, theirs: unknown) =>
  new GatewayError(
    "config_mismatch",
    `this worker's ${what} is ${JSON.stringify(ours)}; a tab asked for ${JSON.stringify(theirs)}`,
  );

/**
 * The worker's heart, independent of how tabs reach it: one gateway connection, the session,
 * the spectated guild, the pools, and every tab's subscriptions and delivery channel.
 */
export class Hub {
  readonly link: GatewayLink;
  readonly requests: Requests;
  readonly session: Session;
  readonly spectator: Spectator;
  readonly pools: Pools;
  readonly connection = new Signal<ConnectionState>();
  readonly changed = new Signal<void>();
  /** Log subscribers by guild: each takes entries (the gateway's JSON) and gaps. */
  readonly logs: LogSubscribers = new Map();
  readonly counters = new Counters(() => this.changed.emit());
  private readonly tabs = new Map<string, Tab>();
  readonly scheduler: Clock;
  private url: string | null = null;
  private cacheSettings: ReturnType<typeof checkCacheSettings> = false;
  private reconnect: ReconnectSettings = DEFAULT_RECONNECT;
  /** The batching window asked of the gateway (the first tab's `batchMs`). */
  batchMs = 16;
  /** The pool cache, made with the first tab's settings. */
  cache: PoolCache | null = null;
  /** The user whose pools the worker holds and whose partition it reads and writes. */
  private dataOwner: string | null = null;
  /** Restored pools waiting for their guild's spectate to catch them up (see revalidate). */
  private readonly graceTimers = new Map<PoolStore, Cancel>();
  private readonly grace: number;
  /** How tabs reach this worker (shown in diagnostics). */
  role: { mode: GatewayMode; leaderTabId: string | null } = {
    mode: "per-tab",
    leaderTabId: null,
  };
  /** The gateway of the session held (kept while no tab is open). */
  private lastUrl: string | null = null;

  constructor(readonly options: HubOptions) {
    const { clock } = options;
    this.scheduler = options.scheduler ?? systemClock;
    this.grace = options.catchUpGraceMs ?? 1500;
    this.link = createGatewayLink(
      options.socketFactory,
      {
        frame: (event, raw) => routeFrame(this, event, raw),
        status: (state) => this.onStatus(state),
      },
      this.scheduler,
    );
    this.requests = new Requests({
      link: this.link,
      clock,
      timeoutMs: options.requestTimeoutMs ?? 15_000,
      token: () => this.session.currentToken(),
      noLogin: (what) => this.loginNeeded(what),
    });
    this.session = new Session({
      requests: this.requests,
      clock,
      refreshLeadMs: options.refreshLeadMs ?? 60_000,
    });
    this.pools = new Pools({
      requests: this.requests,
      clock: this.scheduler,
      batchWindowMs: options.batchWindowMs ?? 10,
      cache: () => this.cache,
      seqOf: (guildId) => this.spectator.poolSeqOf(guildId),
      seeded: (guildId, seq) => this.spectator.seed(guildId, seq),
      presenceAt: (guildId) => this.spectator.presenceAt(guildId),
      seededPresence: (guildId, seq) => this.spectator.presence.seed(guildId, seq),
      presenceSupport: () => this.spectator.presence.support,
    });
    this.spectator = new Spectator({
      requests: this.requests,
      logsWanted: (guildId) => (this.logs.get(guildId)?.size ?? 0) > 0,
      invalidateGuild: (guildId) => this.pools.invalidateGuild(guildId),
      authenticated: () => this.session.state.status === "authenticated",
      loginNeeded: (what) => this.loginNeeded(what),
      caughtUp: (guildId) => this.pools.caughtUp(guildId),
      restoring: (guildId) => this.pools.restoring(guildId),
      batchMs: () => this.batchMs,
      logsGap: (gap) => {
        for (const subscriber of this.logs.get(gap.guildId)?.values() ?? []) subscriber.gap(gap);
      },
      presenceWanted: (guildId) => this.pools.viewed(guildId),
      presenceFlow: (guildId, fromSeq) => this.pools.presenceFlow(guildId, fromSeq),
    });
    this.session.elevated.listen(() => this.spectator.resume());
    this.session.userChanged.listen(() => {
      // A login as another user switched the data over when it was called (switchUser).
      if (this.session.state.status === "authenticated" && this.session.state.userId === this.dataOwner)
        return;
      this.dropUserData({ code: "not_authenticated", message: "logged out" });
    });
    this.session.changed.listen((state) => {
      if (state.status === "expired") this.spectator.reset(true);
      this.changed.emit();
    });
    this.spectator.changed.listen(() => this.changed.emit());
  }

  hello(request: HelloRequest, post: (batch: DeliveryItem[]) => void): HelloResponse {
    if (request.protocolVersion !== PROTOCOL_VERSION || request.tabProtocolVersion !== TAB_PROTOCOL_VERSION)
      throw new GatewayError(
        "incompatible",
        `this tab speaks protocol ${request.protocolVersion}/${request.tabProtocolVersion}, the worker ${PROTOCOL_VERSION}/${TAB_PROTOCOL_VERSION}: reload the page`,
      );
    if (typeof request.gatewayUrl !== "string" || !/^(https?|wss?):\/\//.test(request.gatewayUrl))
      throw new GatewayError("bad_input", "gatewayUrl must be an http(s) or ws(s) URL");
    if (this.url !== null && this.url !== request.gatewayUrl)
      throw mismatch("gateway URL", this.url, request.gatewayUrl);
    if (this.tabs.has(request.tabId))
      throw new GatewayError("bad_input", `tab ${request.tabId} said hello twice`);
    const cache = checkCacheSettings(request.cache);
    const backlog = integerIn("backlog", request.backlog, BACKLOG_RANGE);
    const batchMs = integerIn("batchMs", request.batchMs, BATCH_MS_RANGE);
    if (this.url !== null && batchMs !== this.batchMs) throw mismatch("batchMs", this.batchMs, batchMs);
    const reconnect = checkReconnectSettings(request.reconnect);
    // Both made by checkReconnectSettings, so with the same keys in the same order.
    if (this.url !== null && JSON.stringify(reconnect) !== JSON.stringify(this.reconnect))
      throw mismatch("reconnect settings", this.reconnect, reconnect);
    if (this.cache && !sameCacheSettings(this.cacheSettings, cache))
      throw mismatch("cache settings", this.cacheSettings, cache);
    if (!this.cache) {
      this.cacheSettings = cache;
      this.cache = new PoolCache({
        open: this.options.openCacheStore ?? null,
        settings: cache,
        clock: this.options.clock,
        ...(this.options.cacheWriteIntervalMs !== undefined
          ? { writeIntervalMs: this.options.cacheWriteIntervalMs }
          : {}),
        ...(this.options.log ? { log: this.options.log } : {}),
        changed: () => this.changed.emit(),
      });
      this.cache.setUser(this.dataOwner);
    }
    // Another gateway than the one the session was made with: its token and data must not go there.
    if (this.lastUrl !== null && this.lastUrl !== request.gatewayUrl) void this.endSession();
    // The first tab of a worker (or the first after every tab left) chooses how it reconnects.
    if (this.url === null) {
      this.reconnect = reconnect;
      this.batchMs = batchMs;
    }
    this.url = request.gatewayUrl;
    this.lastUrl = request.gatewayUrl;
    const queue = createDeliveryQueue({
      post,
      clock: this.scheduler,
      windowMs: this.options.deliveryWindowMs ?? 16,
      backlog,
      dropped: (n) => this.counters.add("slowTabDropped", n),
    });
    this.tabs.set(request.tabId, { id: request.tabId, queue, subscriptions: new Map() });
    this.link.connect(request.gatewayUrl, this.reconnect);
    this.changed.emit();
    return {
      workerId: this.options.workerId,
      buildId: this.options.buildId,
      protocolVersion: PROTOCOL_VERSION,
      workerLock: this.options.workerLock ?? null,
    };
  }

  /** The tab handled a delivery batch (flow control: see `DeliveryQueue`). */
  ack(tabId: string): void {
    this.tabs.get(tabId)?.queue.ack();
  }

  /** Per tab, what the worker holds for it (queued items plus log entries). */
  get backlogs(): number[] {
    return [...this.tabs.values()].map((tab) => tab.queue.size);
  }

  /** The tab is gone (lock granted, pagehide, close()): release everything it held. */
  removeTab(tabId: string): void {
    const tab = this.tabs.get(tabId);
    if (!tab) return;
    this.tabs.delete(tabId);
    for (const sub of tab.subscriptions.values()) sub.dispose();
    tab.queue.close();
    this.session.removeTab(tabId);
    this.spectator.removeTab(tabId);
    this.pools.collect();
    if (this.tabs.size === 0) {
      // Nobody left: what the cache has pending is written before the worker may go.
      void this.cache?.flush();
      // No socket is kept open for nothing.
      this.requests.failAll(new GatewayError("closed", "every tab is gone"));
      this.link.close();
      this.url = null;
    }
    this.changed.emit();
  }

  /**
   * Logs in. From the moment it is called the worker holds this user's data only: another
   * user's pools go (memory and disk) and this user's cached pools are shown while the
   * gateway answers. A refusal withdraws them (and their partition, unless the token expired).
   */
  async login(tabId: string, token: unknown): Promise<SessionState> {
    this.tab(tabId);
    const claims = readClaims(token, this.options.clock.now());
    // The user the socket is elevated as, and what its tabs asked to spectate: back to them if
    // this login fails.
    const holder = this.session.holderId;
    const wishes = this.spectator.saveWishes();
    // Its synchronous part shows the new user as authenticating: nothing loads with the old token.
    const login = this.session.login(token);
    this.switchUser(claims.sub);
    try {
      const state = await login;
      // The previous user's partition goes once the new user is in.
      if (holder !== null && holder !== claims.sub) void this.cache?.deleteUser(holder);
      return state;
    } catch (error) {
      // Still this user's data, but not this user's session: undo (a later login of another
      // user, or a logout, already switched it).
      if (this.dataOwner === claims.sub && this.session.holderId !== claims.sub) {
        const refused = error instanceof GatewayError && error.code === 401;
        const expired = claims.exp * 1000 <= this.options.clock.now();
        if (refused && !expired) void this.cache?.deleteUser(claims.sub);
        if (holder !== null) {
          // The socket is still the previous user's: their pools, guild and logs come back.
          this.dropUserData(null);
          this.switchUser(holder);
          this.spectator.restoreWishes(wishes);
          this.session.elevated.emit(false);
        } else if (refused) this.dropUserData({ code: 401, message: "the gateway refused the token" });
        // Not refused (offline, timeout): the cached copies stay on show, stale, until a login.
      }
      throw error;
    }
  }

  /** Logs out; the user's partition is deleted from disk before this resolves. */
  async logout(tabId: string): Promise<void> {
    this.tab(tabId);
    await this.endSession();
  }

  /**
   * Ends the session and deletes its user's partition at once: the gateway's answer to
   * `drop_elevation` may take a round trip, or a timeout offline, and the worker may be gone by
   * then (the last tab closed right after the logout).
   */
  private async endSession(): Promise<void> {
    const owner = this.dataOwner;
    // Its synchronous part forgets the token and the user's data (userChanged → dropUserData).
    const dropped = this.session.logout();
    const deleted = owner !== null && this.dataOwner !== owner ? this.cache?.deleteUser(owner) : undefined;
    await Promise.all([dropped, deleted]);
  }

  /**
   * Brings a restored pool up to date. A guild pool whose copy has a seq waits for a spectate of
   * its guild, which replays what it missed (`since`); if its guild is not spectated within the
   * grace window, or the pool cannot catch up, it is fetched again.
   */
  revalidate(store: PoolStore): void {
    if (!store.meta.stale || store.meta.loadingAll || store.refetching || this.graceTimers.has(store)) return;
    const guildId = store.guildId;
    if (guildId === null || store.restoredSeq === null || !this.spectator.canCatchUp(guildId))
      return this.pools.refetch(store);
    // Still worth waiting: its guild is wished for, its spectate neither answered nor refused.
    const waiting = () =>
      this.spectator.wishedGuildId === guildId &&
      !this.spectator.failedFor(guildId) &&
      (this.spectator.canCatchUp(guildId) || this.spectator.catchingUp(guildId));
    const check = () => {
      this.graceTimers.delete(store);
      if (!store.meta.stale || store.listeners === 0) return;
      if (waiting()) this.graceTimers.set(store, this.scheduler.setTimeout(check, this.grace));
      else this.pools.refetch(store);
    };
    this.graceTimers.set(store, this.scheduler.setTimeout(check, this.grace));
  }

  /** Deletes every partition of the cache (`clearCache()`). */
  async clearCache(tabId: string): Promise<void> {
    this.tab(tabId);
    await this.cache?.clearAll();
  }

  /** The worker now holds `userId`'s data: another user's goes, theirs is restored from disk. */
  private switchUser(userId: string): void {
    if (this.dataOwner === userId) return;
    if (this.dataOwner !== null) {
      // Nothing of the previous user may arrive any more: what is in flight fails, what is held goes.
      this.requests.failAuthenticated(new GatewayError("not_authenticated", "another user is logging in"));
      this.dropUserData(null);
    }
    this.dataOwner = userId;
    this.cache?.setUser(userId);
    this.pools.restoreAll();
  }

  /** Forgets everything held for the current user (`error`: what subscribers see until a login). */
  private dropUserData(error: { code: "not_authenticated" | 401; message: string } | null): void {
    // A pool's catch-up grace is the previous user's: its refetch must not fire for the next one.
    for (const cancel of this.graceTimers.values()) cancel();
    this.graceTimers.clear();
    this.spectator.reset(false);
    this.dataOwner = null;
    this.cache?.setUser(null);
    this.pools.purge(error);
  }

  /** The error of something that needs a login now: `session_expired` after an expiry, else `not_authenticated`. */
  loginNeeded(what: string): GatewayError {
    return this.session.state.status === "expired"
      ? new GatewayError("session_expired", `${what} needs a login: the session expired`)
      : new GatewayError("not_authenticated", `${what} needs a login`);
  }

  setRefresher(tabId: string, refresher: Refresher | null): void {
    this.tab(tabId);
    this.session.setRefresher(tabId, refresher);
  }

  async spectate(
    tabId: string,
    guildId: unknown,
    options: { includeLogs?: unknown },
  ): Promise<SpectatingState> {
    this.tab(tabId);
    if (guildId !== null && (typeof guildId !== "string" || !SNOWFLAKE.test(guildId)))
      throw new GatewayError("bad_input", "guildId must be a snowflake string or null");
    const includeLogs = options?.includeLogs ?? true;
    if (typeof includeLogs !== "boolean")
      throw new GatewayError("bad_input", "includeLogs must be a boolean");
    await this.spectator.spectate(tabId, guildId, includeLogs);
    return this.spectator.stateFor(tabId);
  }

  async focus(tabId: string): Promise<void> {
    this.tab(tabId);
    await this.spectator.focus(tabId);
  }

  subscribe(tabId: string, id: number, spec: unknown): void {
    const tab = this.tab(tabId);
    if (!Number.isSafeInteger(id) || id < 1)
      throw new GatewayError("bad_input", "subscription id must be a positive integer");
    if (tab.subscriptions.has(id)) throw new GatewayError("bad_input", `subscription ${id} exists`);
    if (tab.subscriptions.size >= MAX_SUBSCRIPTIONS_PER_TAB)
      throw new GatewayError(
        "bad_input",
        `a tab may hold at most ${MAX_SUBSCRIPTIONS_PER_TAB} subscriptions`,
      );
    const valid = validateSpec(spec);
    const dispose = openSubscription(this, tabId, id, valid, tab.queue);
    tab.subscriptions.set(id, { kind: valid.kind, dispose });
    // A view of a guild's members: presence may have to flow (Extension 2).
    this.spectator.viewsChanged();
    this.changed.emit();
  }

  unsubscribe(tabId: string, id: number): void {
    const tab = this.tab(tabId);
    const sub = tab.subscriptions.get(id);
    if (!sub) return;
    tab.subscriptions.delete(id);
    sub.dispose();
    tab.queue.forget(id);
    this.pools.collect();
    this.spectator.viewsChanged();
    this.changed.emit();
  }

  async interpret(tabId: string, message: InterpretMessage): Promise<InterpretReturnPayload> {
    this.tab(tabId);
    // Check the page's input here, so a bad call never reaches the gateway.
    const checked = v.safeParse(interpretSchema, { ...(message as object), _id: 1 });
    if (!checked.success) throw new GatewayError("bad_input", `interpret: ${checked.issues[0].message}`);
    const { _id: _ignored, ...body } = checked.output;
    return this.requests.send<"interpret", InterpretReturnPayload>({
      event: "interpret",
      needsAuth: false,
      retry: true,
      build: (_id) => ({ ...body, _id }),
      collect: (event, payload) =>
        event === "interpret_return"
          ? { done: true, value: payload as InterpretReturnPayload }
          : { done: false },
    });
  }

  diagnostics(): Diagnostics {
    const subscriptions: Record<string, number> = {};
    for (const tab of this.tabs.values())
      for (const sub of tab.subscriptions.values())
        subscriptions[sub.kind] = (subscriptions[sub.kind] ?? 0) + 1;
    return diagnosticsOf(this, subscriptions);
  }

  get tabCount(): number {
    return this.tabs.size;
  }

  private tab(tabId: string): Tab {
    const tab = this.tabs.get(tabId);
    if (!tab) throw new GatewayError("closed", "this tab is not connected to the worker (say hello first)");
    return tab;
  }

  private onStatus(state: ConnectionState): void {
    const connected = state.status === "connected";
    this.requests.setConnected(connected);
    if (connected) this.session.reconnected();
    else this.spectator.reset(true);
    this.connection.emit(state);
    this.changed.emit();
  }
}

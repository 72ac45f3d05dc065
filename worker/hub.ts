import type { LogSubscribers } from "./tabs/logSubscribers";
import type { InterpretReturnPayload } from "../src/protocol";
import { PROTOCOL_VERSION } from "../src/protocol";
import { SNOWFLAKE } from "../src/schema/common";
import {
  GatewayError,
  systemClock,
  type CacheSettings,
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
  TOKEN_ITEM,
} from "../src/shared";
import type { PoolCache } from "./cache/poolCache";
import { createDeliveryQueue } from "./tabs/deliveryQueue";
import { DEFAULT_RECONNECT, type GatewayLink } from "./gateway/gatewayLink";
import type { Pools } from "./pools/pools";
import type { PoolStore } from "./pools/poolStore";
import type { Requests } from "./gateway/requests";
import { Session, type Refresher } from "./session/session";
import { Signal } from "./signal";
import type { Spectator } from "./spectate/spectator";
import { Counters } from "./counters";
import { diagnosticsOf } from "./diagnosticsOf";
import { interpret } from "./gateway/interpret";
import type { HubOptions } from "./hubOptions";
import { cacheOf, linkOf, listenToParts, poolsOf, requestsOf, spectatorOf } from "./hubWiring";
import { revalidate } from "./pools/catchUpGrace";
import { endSession, loginUser, type UserData } from "./session/userData";
import { checkHello } from "./tabs/helloSettings";
import { subscribe, unsubscribe, type Tab } from "./tabs/tabSubscriptions";

export type { HubOptions } from "./hubOptions";
export { BACKLOG_RANGE, BATCH_MS_RANGE } from "./tabs/helloSettings";
export { MAX_SUBSCRIPTIONS_PER_TAB } from "./tabs/tabSubscriptions";

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
  readonly #tabs = new Map<string, Tab>();
  readonly scheduler: Clock;
  #url: string | null = null;
  #cacheSettings: CacheSettings | false = false;
  #reconnect: ReconnectSettings = DEFAULT_RECONNECT;
  /** The batching window asked of the gateway (the first tab's `batchMs`). */
  batchMs = 16;
  /** The pool cache, made with the first tab's settings. */
  cache: PoolCache | null = null;
  /** The user whose data the worker holds, and the restored pools waiting for a catch-up (revalidate). */
  readonly #user: UserData = { owner: null, graces: new Map() };
  readonly #grace: number;
  /** How tabs reach this worker (shown in diagnostics). */
  role: { mode: GatewayMode; leaderTabId: string | null } = { mode: "per-tab", leaderTabId: null };
  /** The gateway of the session held (kept while no tab is open). */
  #lastUrl: string | null = null;

  constructor(readonly options: HubOptions) {
    this.scheduler = options.scheduler ?? systemClock;
    this.#grace = options.catchUpGraceMs ?? 1500;
    this.link = linkOf(this);
    this.requests = requestsOf(this);
    this.session = new Session({
      requests: this.requests,
      clock: options.clock,
      refreshLeadMs: options.refreshLeadMs ?? 60_000,
    });
    this.pools = poolsOf(this);
    this.spectator = spectatorOf(this);
    listenToParts(this, this.#user, this.#tabs);
  }

  hello(request: HelloRequest, post: (batch: DeliveryItem[]) => void): HelloResponse {
    const { options } = this;
    const [cache, backlog, batchMs, reconnect] = checkHello(
      request,
      this.#url,
      this.#tabs,
      this.batchMs,
      this.#reconnect,
      this.cache && this.#cacheSettings,
    );
    if (!this.cache) {
      this.#cacheSettings = cache;
      this.cache = cacheOf(this, cache);
      this.cache.setUser(this.#user.owner);
    }
    // Another gateway than the one the session was made with: its token and data must not go there.
    if (this.#lastUrl !== null && this.#lastUrl !== request.gatewayUrl) void endSession(this, this.#user);
    // The first tab of a worker (or the first after every tab left) chooses how it reconnects.
    if (this.#url === null) {
      this.#reconnect = reconnect;
      this.batchMs = batchMs;
    }
    this.#url = request.gatewayUrl;
    this.#lastUrl = request.gatewayUrl;
    const queue = createDeliveryQueue({
      post,
      clock: this.scheduler,
      windowMs: options.deliveryWindowMs ?? 16,
      backlog,
      dropped: (n) => this.counters.add("slowTabDropped", n),
    });
    const devtools = request.devtools === true;
    this.#tabs.set(request.tabId, { id: request.tabId, queue, subscriptions: new Map(), devtools });
    // The session's token, which every tab holds (see `TOKEN_ITEM`).
    const token = this.session.currentToken();
    if (token) queue.push({ s: TOKEN_ITEM, t: "value", v: token });
    this.link.connect(request.gatewayUrl, this.#reconnect);
    this.changed.emit();
    return {
      workerId: options.workerId,
      buildId: options.buildId,
      protocolVersion: PROTOCOL_VERSION,
      workerLock: options.workerLock ?? null,
    };
  }

  /** The tab handled a delivery batch (flow control: see `DeliveryQueue`); its latency shows in diagnostics. */
  ack(tabId: string): void {
    this.#tabs.get(tabId)?.queue.ack();
    this.changed.emit();
  }

  /** The tab is gone (lock granted, pagehide, close()): release everything it held. */
  removeTab(tabId: string): void {
    const tab = this.#tabs.get(tabId);
    if (!tab) return;
    this.#tabs.delete(tabId);
    for (const sub of tab.subscriptions.values()) sub.dispose();
    tab.queue.close();
    this.session.removeTab(tabId);
    this.spectator.removeTab(tabId);
    this.pools.collect();
    if (this.#tabs.size === 0) {
      // Nobody left: what the cache has pending is written before the worker may go.
      void this.cache?.flush();
      // No socket is kept open for nothing.
      this.requests.failAll(new GatewayError("closed", "every tab is gone"));
      this.link.close();
      this.#url = null;
    }
    this.changed.emit();
  }

  /** Logs in (see `loginUser`: from the moment it is called the worker holds this user's data only). */
  async login(tabId: string, token: unknown): Promise<SessionState> {
    this.#tab(tabId);
    return loginUser(this, this.#user, token);
  }

  /** Logs out; the user's partition is deleted from disk before this resolves. */
  async logout(tabId: string): Promise<void> {
    this.#tab(tabId);
    await endSession(this, this.#user);
  }

  /** A restored (stale) pool a tab listens to: caught up by its guild's spectate, or fetched again. */
  revalidate(store: PoolStore): void {
    revalidate(store, this.#user.graces, this.spectator, this.pools, this.scheduler, this.#grace);
  }

  /** Deletes every partition of the cache (`clearCache()`). */
  async clearCache(tabId: string): Promise<void> {
    this.#tab(tabId);
    await this.cache?.clearAll();
  }

  /** The error of something that needs a login now: `session_expired` after an expiry, else `not_authenticated`. */
  loginNeeded(what: string): GatewayError {
    return this.session.state.status === "expired"
      ? new GatewayError("session_expired", `${what} needs a login: the session expired`)
      : new GatewayError("not_authenticated", `${what} needs a login`);
  }

  setRefresher(tabId: string, refresher: Refresher | null): void {
    this.#tab(tabId);
    this.session.setRefresher(tabId, refresher);
  }

  async spectate(
    tabId: string,
    guildId: unknown,
    options: { includeLogs?: unknown },
  ): Promise<SpectatingState> {
    this.#tab(tabId);
    if (guildId !== null && (typeof guildId !== "string" || !SNOWFLAKE.test(guildId)))
      throw new GatewayError("bad_input", "guildId must be a snowflake string or null");
    const includeLogs = options?.includeLogs ?? true;
    if (typeof includeLogs !== "boolean")
      throw new GatewayError("bad_input", "includeLogs must be a boolean");
    await this.spectator.spectate(tabId, guildId, includeLogs);
    return this.spectator.stateFor(tabId);
  }

  async focus(tabId: string): Promise<void> {
    this.#tab(tabId);
    await this.spectator.focus(tabId);
  }

  subscribe(tabId: string, id: number, spec: unknown): void {
    subscribe(this, this.#tab(tabId), id, spec);
  }

  unsubscribe(tabId: string, id: number): void {
    unsubscribe(this, this.#tab(tabId), id);
  }

  async interpret(tabId: string, message: InterpretMessage): Promise<InterpretReturnPayload> {
    this.#tab(tabId);
    return interpret(this.requests, message);
  }

  diagnostics(): Diagnostics {
    return diagnosticsOf(this, [...this.#tabs.values()]);
  }

  /** Whether the tab's hello said `devtools` (its devtools actions are allowed). */
  devtoolsAllowed = (tabId: string): boolean => this.#tab(tabId).devtools;

  get tabCount(): number {
    return this.#tabs.size;
  }

  #tab(tabId: string): Tab {
    const tab = this.#tabs.get(tabId);
    if (!tab) throw new GatewayError("closed", "this tab is not connected to the worker (say hello first)");
    return tab;
  }
}

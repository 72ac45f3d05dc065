import type { InterpretReturnPayload } from "../src/protocol";
import { PROTOCOL_VERSION } from "../src/protocol";
import {
  GatewayError,
  type Clock,
  type ConnectionState,
  type DeliveryItem,
  type Diagnostics,
  type GatewayMode,
  type HelloRequest,
  type HelloResponse,
  type InterpretMessage,
  type SessionState,
  type SpectatingState,
} from "../src/shared";
import type { PoolCache } from "./cache/poolCache";
import { Counters } from "./counters";
import { diagnosticsOf } from "./diagnosticsOf";
import type { GatewayLink } from "./gateway/gatewayLink";
import { interpretRequest } from "./gateway/interpretRequest";
import type { Requests } from "./gateway/requests";
import { routeFrame } from "./gateway/routeFrame";
import type { HubOptions } from "./hubOptions";
import { createHubParts, createPoolCache, disposeParts, type HubParts } from "./hubParts";
import type { Pools } from "./pools/pools";
import type { Refresher, Session } from "./session/session";
import { Signal } from "./signal";
import { checkSpectate } from "./spectate/checkSpectate";
import type { Spectator } from "./spectate/spectator";
import { createDeliveryQueue } from "./tabs/deliveryQueue";
import { TabSettings } from "./tabs/helloSettings";
import { openSubscription, type SubscriptionDeps } from "./tabs/openSubscription";
import { TabRegistry } from "./tabs/tabRegistry";
import { validateSpec } from "./tabs/validateSpec";

/**
 * The worker's heart, independent of how tabs reach it: it makes the parts (the gateway link and
 * its requests, the session and the user's data, the spectator, the pools, the log fan-out, the
 * tabs) and wires them; each tab call checks the tab and hands over to the part that owns it.
 * `dispose()` drains every timer, listener and socket it made.
 */
export class Hub {
  readonly link: GatewayLink;
  readonly session: Session;
  readonly spectator: Spectator;
  readonly pools: Pools;
  readonly requests: Requests;
  readonly connection = new Signal<ConnectionState>();
  readonly changed = new Signal<void>();
  readonly counters = new Counters(() => this.changed.emit());
  readonly scheduler: Clock;
  readonly #options: HubOptions;
  readonly #tabs = new TabRegistry();
  readonly #parts: HubParts;
  readonly #settings = new TabSettings();
  #cache: PoolCache | null = null;
  #role: { mode: GatewayMode; leaderTabId: string | null } = { mode: "per-tab", leaderTabId: null };

  constructor(options: HubOptions) {
    this.#options = options;
    const parts = (this.#parts = createHubParts(options, {
      counters: this.counters,
      cache: () => this.#cache,
      batchMs: () => this.#settings.batchMs,
      status: (state) => this.#onStatus(state),
      changed: () => this.changed.emit(),
    }));
    ({
      scheduler: this.scheduler,
      link: this.link,
      requests: this.requests,
      session: this.session,
      spectator: this.spectator,
      pools: this.pools,
    } = parts);
  }

  /** One frame from the gateway (what the link hears), validated and routed (see `routeFrame`). */
  receive(event: string, raw: unknown): void {
    routeFrame(this.#parts.frames, event, raw);
  }

  /** The Web Lock the worker holds for its whole life (null: none). */
  get workerLock(): string | null {
    return this.#options.workerLock ?? null;
  }

  /** How tabs reach this worker (shown in diagnostics). */
  setRole(mode: GatewayMode, leaderTabId: string | null = null): void {
    this.#role = { mode, leaderTabId };
  }

  hello(request: HelloRequest, post: (batch: DeliveryItem[]) => void): HelloResponse {
    const options = this.#options;
    const hello = this.#settings.accept(request, (id) => this.#tabs.has(id));
    if (!this.#cache) {
      this.#cache = createPoolCache(options, hello.cache, () => this.changed.emit());
      this.#cache.setUser(this.#parts.user.owner);
    }
    // Another gateway than the one the session was made with: its token and data must not go there.
    if (hello.otherGateway) void this.#parts.user.endSession();
    const queue = createDeliveryQueue({
      post,
      clock: this.scheduler,
      windowMs: options.deliveryWindowMs ?? 16,
      backlog: hello.backlog,
      dropped: (n) => this.counters.add("slowTabDropped", n),
    });
    this.#tabs.add(request.tabId, queue);
    this.link.connect(hello.url, hello.reconnect);
    this.changed.emit();
    const { workerId, buildId, workerLock } = options;
    return { workerId, buildId, protocolVersion: PROTOCOL_VERSION, workerLock: workerLock ?? null };
  }

  /** The tab handled a delivery batch (flow control: see `DeliveryQueue`). */
  ack(tabId: string): void {
    if (this.#tabs.has(tabId)) this.#tabs.get(tabId).queue.ack();
  }

  /** The tab is gone (lock granted, pagehide, close()): release everything it held. */
  removeTab(tabId: string): void {
    if (!this.#tabs.remove(tabId)) return;
    this.session.removeTab(tabId);
    this.spectator.removeTab(tabId);
    this.pools.collect();
    if (this.#tabs.size === 0) {
      // Nobody left: what the cache has pending is written before the worker may go.
      void this.#cache?.flush();
      // No socket is kept open for nothing.
      this.requests.failAll(new GatewayError("closed", "every tab is gone"));
      this.link.close();
      this.#settings.release();
    }
    this.changed.emit();
  }

  /** Logs in (see `UserData.login`: the worker holds this user's data from the call on). */
  login(tabId: string, token: unknown): Promise<SessionState> {
    this.#tabs.get(tabId);
    return this.#parts.user.login(token);
  }

  /** Logs out; the user's partition is deleted from disk before this resolves. */
  async logout(tabId: string): Promise<void> {
    this.#tabs.get(tabId);
    await this.#parts.user.endSession();
  }

  /** Deletes every partition of the cache (`clearCache()`). */
  async clearCache(tabId: string): Promise<void> {
    this.#tabs.get(tabId);
    await this.#cache?.clearAll();
  }

  setRefresher(tabId: string, refresher: Refresher | null): void {
    this.#tabs.get(tabId);
    this.session.setRefresher(tabId, refresher);
  }

  async spectate(
    tabId: string,
    guildId: unknown,
    options: { includeLogs?: unknown },
  ): Promise<SpectatingState> {
    this.#tabs.get(tabId);
    const wish = checkSpectate(guildId, options);
    await this.spectator.spectate(tabId, wish.guildId, wish.includeLogs);
    return this.spectator.stateFor(tabId);
  }

  async focus(tabId: string): Promise<void> {
    this.#tabs.get(tabId);
    await this.spectator.focus(tabId);
  }

  subscribe(tabId: string, id: number, spec: unknown): void {
    this.#tabs.subscribe(tabId, id, (queue) => {
      const valid = validateSpec(spec);
      return { kind: valid.kind, dispose: openSubscription(this.#subscriptionDeps, tabId, id, valid, queue) };
    });
    // A view of a guild's members: presence may have to flow (Extension 2).
    this.spectator.viewsChanged();
    this.changed.emit();
  }

  unsubscribe(tabId: string, id: number): void {
    if (!this.#tabs.unsubscribe(tabId, id)) return;
    this.pools.collect();
    this.spectator.viewsChanged();
    this.changed.emit();
  }

  async interpret(tabId: string, message: InterpretMessage): Promise<InterpretReturnPayload> {
    this.#tabs.get(tabId);
    return interpretRequest(this.requests, message);
  }

  diagnostics(): Diagnostics {
    const [role, tabs, counters, cache] = [this.#role, this.#tabs, this.counters, this.#cache];
    return diagnosticsOf({ ...this.#parts, ...this.#options, role, tabs, counters, cache });
  }

  get tabCount(): number {
    return this.#tabs.size;
  }

  /** The pool cache (null until the first tab said which one it wants). */
  get cache(): PoolCache | null {
    return this.#cache;
  }

  /**
   * Ends everything this hub started: each tab's subscriptions and queue, the requests, the
   * socket, every timer (session, pools, catch-up waits, cache writes, after writing what is
   * pending) and every listener between its parts. The hub serves nothing afterwards.
   */
  dispose(): void {
    for (const tabId of this.#tabs.ids()) this.removeTab(tabId);
    disposeParts(this.#parts);
    void this.#cache?.flush();
  }

  /** What a tab's subscriptions are made of. */
  get #subscriptionDeps(): SubscriptionDeps {
    return {
      ...this.#parts,
      connection: this.connection,
      changed: this.changed,
      diagnostics: () => this.diagnostics(),
    };
  }

  #onStatus(state: ConnectionState): void {
    const connected = state.status === "connected";
    this.requests.setConnected(connected);
    if (connected) this.session.reconnected();
    else this.spectator.reset(true);
    this.connection.emit(state);
    this.changed.emit();
  }
}

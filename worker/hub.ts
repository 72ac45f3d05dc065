import type { InterpretReturnPayload } from "../src/protocol";
import { PROTOCOL_VERSION } from "../src/protocol";
import { SNOWFLAKE } from "../src/schema/common";
import { interpretSchema } from "../src/schema/interpret";
import {
  GatewayError,
  TAB_PROTOCOL_VERSION,
  systemClock,
  type Clock,
  type ConnectionState,
  type DeliveryItem,
  type Diagnostics,
  type HelloRequest,
  type HelloResponse,
  type InterpretMessage,
  type SessionState,
  type SpectatingState,
  type SubscriptionSpec,
} from "../src/shared";
import { createDeliveryQueue, type DeliveryQueue, type PlainItem } from "./deliveryQueue";
import { createGatewayLink, type GatewayLink, type SocketFactory } from "./gatewayLink";
import { Pools } from "./pools";
import { Requests } from "./requests";
import { Session, type Refresher } from "./session";
import { Signal } from "./signal";
import { Spectator } from "./spectator";
import { openSubscription } from "./openSubscription";
import { validateSpec } from "./validateSpec";
import { Counters } from "./counters";
import { diagnosticsOf } from "./diagnosticsOf";
import { routeFrame } from "./routeFrame";

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
}

interface Tab {
  id: string;
  queue: DeliveryQueue;
  subscriptions: Map<number, { kind: SubscriptionSpec["kind"]; dispose(): void }>;
}

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
  readonly logs = new Map<string, Map<string, (raw: string) => void>>();
  readonly counters = new Counters();
  private readonly tabs = new Map<string, Tab>();
  readonly scheduler: Clock;
  private url: string | null = null;
  /** The gateway of the session held (kept while no tab is open). */
  private lastUrl: string | null = null;

  constructor(readonly options: HubOptions) {
    const { clock } = options;
    this.scheduler = options.scheduler ?? systemClock;
    this.link = createGatewayLink(options.socketFactory, {
      frame: (event, raw) => routeFrame(this, event, raw),
      status: (state) => this.onStatus(state),
    });
    this.requests = new Requests({
      link: this.link,
      clock,
      timeoutMs: options.requestTimeoutMs ?? 15_000,
      token: () => this.session.currentToken(),
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
    });
    this.spectator = new Spectator({
      requests: this.requests,
      logsWanted: (guildId) => (this.logs.get(guildId)?.size ?? 0) > 0,
      invalidateGuild: (guildId) => this.pools.invalidateGuild(guildId),
      authenticated: () => this.session.state.status === "authenticated",
    });
    this.session.elevated.listen(() => this.spectator.resume());
    this.session.userChanged.listen(() => {
      this.spectator.reset(false);
      this.pools.purge(
        this.session.state.status === "authenticated"
          ? null
          : { code: "not_authenticated", message: "logged out" },
      );
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
      throw new GatewayError(
        "config_mismatch",
        `this worker is connected to ${this.url}; a tab asked for ${request.gatewayUrl}`,
      );
    if (this.tabs.has(request.tabId))
      throw new GatewayError("bad_input", `tab ${request.tabId} said hello twice`);
    // Another gateway than the one the session was made with: its token and data must not go there.
    if (this.lastUrl !== null && this.lastUrl !== request.gatewayUrl) void this.session.logout();
    this.url = request.gatewayUrl;
    this.lastUrl = request.gatewayUrl;
    const queue = createDeliveryQueue(post, this.scheduler, this.options.deliveryWindowMs ?? 16);
    this.tabs.set(request.tabId, { id: request.tabId, queue, subscriptions: new Map() });
    this.link.connect(request.gatewayUrl);
    this.changed.emit();
    return {
      workerId: this.options.workerId,
      buildId: this.options.buildId,
      protocolVersion: PROTOCOL_VERSION,
    };
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
      // Nobody left: no socket is kept open for nothing.
      this.requests.failAll(new GatewayError("closed", "every tab is gone"));
      this.link.close();
      this.url = null;
    }
    this.changed.emit();
  }

  login(tabId: string, token: unknown): Promise<SessionState> {
    this.tab(tabId);
    return this.session.login(token);
  }

  logout(tabId: string): Promise<void> {
    this.tab(tabId);
    return this.session.logout();
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
    const valid = validateSpec(spec);
    const deliver = (item: PlainItem) => tab.queue.push(item);
    const dispose = openSubscription(this, tabId, id, valid, deliver, (s, raw) => tab.queue.pushLog(s, raw));
    tab.subscriptions.set(id, { kind: valid.kind, dispose });
    this.changed.emit();
  }

  unsubscribe(tabId: string, id: number): void {
    const tab = this.tab(tabId);
    const sub = tab.subscriptions.get(id);
    if (!sub) return;
    tab.subscriptions.delete(id);
    sub.dispose();
    this.pools.collect();
    this.changed.emit();
  }

  async interpret(tabId: string, message: InterpretMessage): Promise<InterpretReturnPayload> {
    this.tab(tabId);
    // Check the page's input here, so a bad call never reaches the gateway.
    const checked = interpretSchema.safeParse({ ...(message as object), _id: 1 });
    if (!checked.success)
      throw new GatewayError(
        "bad_input",
        `interpret: ${checked.error.issues[0]?.message ?? "invalid message"}`,
      );
    const { _id: _ignored, ...body } = checked.data;
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

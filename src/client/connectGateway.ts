import * as Comlink from "comlink";
import { Observable, ReplaySubject, share } from "rxjs";
import { PROTOCOL_VERSION, type InterpretReturnPayload, type PoolEntities, type PoolType } from "../protocol";
import {
  BUILD_ID,
  GatewayError,
  TAB_PROTOCOL_VERSION,
  type ConnectionState,
  type DeliveryItem,
  type Diagnostics,
  type HelloResponse,
  type InterpretMessage,
  type LogEntry,
  type Result,
  type SearchResult,
  type SessionState,
  type SpectatingState,
  type SubscriptionSpec,
} from "../shared";
import { defaultWorkerFactory, openWorker, type WorkerFactory } from "./openWorker";
import { createPoolAccumulator, type PoolSnapshot } from "./poolSnapshot";
import { holdTabLock } from "./tabLock";

export interface ConnectOptions {
  /** The gateway, e.g. `https://gateway.archit.us`. Every tab of one worker must agree. */
  url: string;
  /** Creates the worker (default: the bundled worker script). */
  worker?: WorkerFactory;
  /** Use a SharedWorker when the browser has one (default true); false forces the per-tab fallback. */
  shared?: boolean;
}

export interface SearchSnapshot<T> {
  status: SearchResult["status"];
  entities: T[];
  error: GatewayError | null;
}

export interface EntitySnapshot<T> {
  status: PoolSnapshot<T>["status"];
  entity: T | null;
  /** The gateway says this id does not exist. */
  missing: boolean;
  error: GatewayError | null;
}

/** Observables over one pool (type, guild). */
export interface PoolHandle<T> {
  /** The whole pool (streamed in with `loaded/total` progress for big pools). */
  all$(): Observable<PoolSnapshot<T>>;
  /** Some entities, in the order asked; fetched by id (batched with every tab's requests). */
  entities$(ids: readonly string[]): Observable<PoolSnapshot<T>>;
  entity$(id: string): Observable<EntitySnapshot<T>>;
  /** Member search, best first (`member` pools only). */
  search$(query: string, options?: { limit?: number }): Observable<SearchSnapshot<T>>;
}

export interface GatewayClient {
  /** Resolves once the worker accepted this tab (rejects `incompatible` / `config_mismatch`). */
  readonly ready: Promise<HelloResponse & { shared: boolean }>;
  readonly connection$: Observable<ConnectionState>;
  readonly session$: Observable<SessionState>;
  readonly spectating$: Observable<SpectatingState>;
  readonly diagnostics$: Observable<Diagnostics>;
  login(token: string): Promise<SessionState>;
  logout(): Promise<void>;
  /** Called by the worker before the token expires, to get a fresh one (null: none). */
  setTokenRefresher(refresher: (() => Promise<string>) | null): Promise<void>;
  spectate(guildId: string | null, options?: { includeLogs?: boolean }): Promise<SpectatingState>;
  pool<T extends PoolType>(type: T, options?: { guildId?: string }): PoolHandle<PoolEntities[T]>;
  /** Log entries of the spectated guild, in batches, while this guild is spectated. */
  logs$(guildId: string): Observable<LogEntry[]>;
  interpret(message: InterpretMessage): Promise<InterpretReturnPayload>;
  /** Releases everything this tab holds in the worker. */
  close(): Promise<void>;
}

/** How long a tab waits for the worker to accept it. */
const HELLO_TIMEOUT_MS = 10_000;

const unwrap = async <T>(call: Promise<Result<T>>): Promise<T> => {
  const result = await call;
  if (!result.ok) throw GatewayError.from(result.error);
  return result.value;
};

/** Connects this tab to the shared connection (see README). */
export function connectGateway(options: ConnectOptions): GatewayClient {
  if (typeof options?.url !== "string") throw new GatewayError("bad_input", "connectGateway needs { url }");
  const tabId = crypto.randomUUID();
  const conn = openWorker(options.worker ?? defaultWorkerFactory, options.shared ?? true);
  const { api } = conn;
  const channel = new MessageChannel();
  const handlers = new Map<number, (item: DeliveryItem) => void>();
  channel.port1.onmessage = (event: MessageEvent<DeliveryItem[]>) => {
    for (const item of event.data) handlers.get(item.s)?.(item);
  };
  let closed = false;
  let nextId = 1;
  let releaseLock = () => {};

  const ready = (async () => {
    const lock = await holdTabLock(tabId);
    releaseLock = lock.release;
    const hello = await settle(
      api.hello(
        {
          protocolVersion: PROTOCOL_VERSION,
          tabProtocolVersion: TAB_PROTOCOL_VERSION,
          buildId: BUILD_ID,
          gatewayUrl: options.url,
          lockName: lock.name,
          tabId,
        },
        Comlink.transfer(channel.port2, [channel.port2]),
      ),
    );
    return { ...hello, shared: conn.shared };
  })();
  /** The worker's answer to hello, unless the worker fails to start or never answers. */
  function settle<T>(call: Promise<Result<T>>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new GatewayError("timeout", `the worker did not answer within ${HELLO_TIMEOUT_MS} ms`)),
        HELLO_TIMEOUT_MS,
      );
      unwrap(call).then(resolve, reject);
      conn.failed.catch(reject);
      void Promise.race([call, conn.failed]).then(
        () => clearTimeout(timer),
        () => clearTimeout(timer),
      );
    });
  }
  ready.catch(() => {});
  const call = <T>(run: () => Promise<Result<T>>): Promise<T> => {
    if (closed) return Promise.reject(new GatewayError("closed", "this client was closed"));
    return ready.then(() => unwrap(run()));
  };

  const cache = new Map<string, Observable<unknown>>();
  /** Subscribers of live worker subscriptions, told when the client closes. */
  const live = new Map<number, { error(error: unknown): void }>();
  /** A cold, shared observable over one worker subscription; unsubscribing releases it. */
  const observe = <T>(
    spec: SubscriptionSpec,
    map: () => (item: DeliveryItem) => T | undefined,
  ): Observable<T> => {
    const key = JSON.stringify(spec);
    const cached = cache.get(key);
    if (cached) return cached as Observable<T>;
    const observable = new Observable<T>((subscriber) => {
      const id = nextId++;
      const reduce = map();
      live.set(id, subscriber);
      handlers.set(id, (item) => {
        if (item.t === "error") subscriber.error(GatewayError.from(item.e));
        else {
          const value = reduce(item);
          if (value !== undefined) subscriber.next(value);
        }
      });
      call(() => api.subscribe(id, spec)).catch((error: unknown) => subscriber.error(error));
      return () => {
        handlers.delete(id);
        live.delete(id);
        // Nobody listens any more: forget the shared observable too (the cache stays bounded).
        if (cache.get(key) === observable) cache.delete(key);
        if (!closed) void ready.then((): Promise<unknown> => api.unsubscribe(id)).catch(() => {});
      };
    }).pipe(share({ connector: () => new ReplaySubject<T>(1), resetOnRefCountZero: true }));
    cache.set(key, observable);
    return observable;
  };
  const values = <T>(spec: SubscriptionSpec) =>
    observe<T>(spec, () => (item) => (item.t === "value" ? (item.v as T) : undefined));

  const pool = <T extends PoolType>(
    type: T,
    poolOptions?: { guildId?: string },
  ): PoolHandle<PoolEntities[T]> => {
    const guildId = poolOptions?.guildId ?? null;
    const snapshots = (ids: readonly string[] | "all") =>
      observe<PoolSnapshot<PoolEntities[T]>>(
        { kind: "pool", type, guildId, ids: ids === "all" ? "all" : [...ids] },
        () => {
          const accumulate = createPoolAccumulator<T>(ids === "all" ? null : ids);
          return (item) => (item.t === "pool" ? accumulate(item.d) : undefined);
        },
      );
    return {
      all$: () => snapshots("all"),
      entities$: (ids) => snapshots(ids),
      entity$: (id) =>
        new Observable<EntitySnapshot<PoolEntities[T]>>((subscriber) =>
          snapshots([id]).subscribe({
            next: (s) =>
              subscriber.next({
                status: s.status,
                entity: s.byId.get(id) ?? null,
                missing: s.nonexistent.includes(id),
                error: s.error,
              }),
            error: (e: unknown) => subscriber.error(e),
          }),
        ),
      search$: (query, searchOptions) => {
        if (type !== "member" || guildId === null)
          throw new GatewayError("bad_input", "search$ works on a guild's member pool");
        return observe<SearchSnapshot<PoolEntities[T]>>(
          { kind: "search", guildId, query, limit: searchOptions?.limit ?? 20 },
          () => (item) => {
            if (item.t !== "value") return undefined;
            const r = item.v as SearchResult;
            return {
              status: r.status,
              entities: r.entities as PoolEntities[T][],
              error: r.error ? GatewayError.from(r.error) : null,
            };
          },
        );
      },
    };
  };

  // A tab that comes to the front takes its guild back.
  const onFront = () => {
    if (document.visibilityState === "visible") void call(() => api.focus()).catch(() => {});
  };
  const onPageHide = (event: PageTransitionEvent) => {
    if (!event.persisted) void client.close();
  };
  if (typeof document !== "undefined") {
    document.addEventListener("visibilitychange", onFront);
    window.addEventListener("focus", onFront);
    window.addEventListener("pagehide", onPageHide);
  }

  const client: GatewayClient = {
    ready,
    connection$: values<ConnectionState>({ kind: "connection" }),
    session$: values<SessionState>({ kind: "session" }),
    spectating$: values<SpectatingState>({ kind: "spectating" }),
    diagnostics$: values<Diagnostics>({ kind: "diagnostics" }),
    login: (token) => call(() => api.login(token)),
    logout: () => call(() => api.logout()).then(() => undefined),
    setTokenRefresher: (refresher) =>
      call(() => api.setRefresher(refresher ? Comlink.proxy(refresher) : null)).then(() => undefined),
    spectate: (guildId, spectateOptions) =>
      call(() => api.spectate(guildId, { includeLogs: spectateOptions?.includeLogs ?? true })),
    pool,
    logs$: (guildId) =>
      observe<LogEntry[]>(
        { kind: "logs", guildId },
        () => (item) => (item.t === "logs" ? (JSON.parse(item.json) as LogEntry[]) : undefined),
      ),
    interpret: (message) => call(() => api.interpret(message)),
    async close() {
      if (closed) return;
      closed = true;
      if (typeof document !== "undefined") {
        document.removeEventListener("visibilitychange", onFront);
        window.removeEventListener("focus", onFront);
        window.removeEventListener("pagehide", onPageHide);
      }
      handlers.clear();
      const subscribers = [...live.values()];
      live.clear();
      for (const subscriber of subscribers)
        subscriber.error(new GatewayError("closed", "this client was closed"));
      await ready.then((): Promise<unknown> => api.bye()).catch(() => {});
      releaseLock();
      channel.port1.close();
      conn.close();
    },
  };
  return client;
}

import * as Comlink from "comlink";
import { Observable, ReplaySubject, filter, firstValueFrom, share, timeout } from "rxjs";
import type { InterpretReturnPayload, PoolEntities, PoolType } from "../protocol";
import {
  GatewayError,
  type ConnectionState,
  type DeliveryItem,
  type Diagnostics,
  type GatewayMode,
  type HelloResponse,
  type InterpretMessage,
  type LogBatch,
  type LogEntry,
  type CacheSettings,
  type Result,
  type SearchResult,
  type SessionState,
  type SpectatingState,
  type SubscriptionSpec,
  type WorkerApi,
} from "../shared";
import { defaultWorkerFactory, type WorkerFactory } from "./openWorker";
import { createPoolAccumulator, type PoolSnapshot } from "./poolSnapshot";
import { createWorkerLink } from "./workerLink";

/** Options of {@link connectGateway}. */
export interface ConnectOptions {
  /**
   * The gateway, e.g. `https://gateway.archit.us` (http(s) or ws(s), else `ready` rejects
   * `bad_input`). Every tab of one worker must agree: another URL rejects `config_mismatch`.
   */
  url: string;
  /**
   * Creates the worker (default: the bundled worker script, which the app's bundler emits).
   * Override to host the script elsewhere; name a SharedWorker `WORKER_NAME`.
   */
  worker?: WorkerFactory;
  /**
   * How tabs share the one connection: `"auto"` (default: a SharedWorker where the browser has
   * one, else `"leader"` where it has Web Locks and BroadcastChannel, else `"per-tab"`);
   * `"shared"` (a SharedWorker); `"leader"` (the tabs elect a leader whose dedicated worker
   * serves them all over BroadcastChannels; when it goes, the next tab leads within a second);
   * `"per-tab"` (a dedicated worker, and so a connection, per tab). A mode the browser cannot do
   * throws `unsupported`.
   */
  mode?: "auto" | GatewayMode;
  /** Older spelling: `shared: false` is `mode: "per-tab"`. */
  shared?: boolean;
  /**
   * The IndexedDB pool cache (default on): pools show at once after a reload, then catch up.
   * `false` turns it off; `buster` (joins every key: change it when entity shapes change),
   * `maxAgeMs` (default 24 h) and `maxBytes` (default 50 MB) tune it. Every tab of one worker
   * must agree, else `ready` rejects `config_mismatch`.
   */
  cache?: false | { buster?: string; maxAgeMs?: number; maxBytes?: number };
  /**
   * How the worker's socket spreads its reconnections: exponential backoff with full jitter, the
   * first attempt anywhere within `firstDelayMs` (default 1 s), none later than `maxDelayMs`
   * (default 30 s), so that the tabs of thousands of users do not stampede a restarted gateway.
   * Every tab of one worker must agree (`config_mismatch`).
   */
  reconnect?: { firstDelayMs?: number; maxDelayMs?: number };
  /**
   * What the worker may hold for this tab while the tab does not take its deliveries (frozen,
   * blocked or too busy): queued updates plus log entries, default 10,000 (100–1,000,000, else
   * `ready` rejects `bad_input`). Beyond it the worker keeps only the latest value of each
   * observable and the whole state of each pool, and drops the oldest log entries: `logs$` says
   * so with a `slow_tab` gap (the seqs around the dropped entries), and the tab catches up.
   */
  backlog?: number;
  /**
   * Asks the gateway to gather its pushes for up to this many ms into one `log_batch` frame
   * (PROTOCOL.md Extension 1): default 16, 0 turns it off, an integer 0–100 (else `ready`
   * rejects `bad_input`). A gateway without the extension sends single frames; both work.
   * `diagnostics$` shows the window in use (`batchMs`). Every tab of one worker must agree.
   */
  batchMs?: number;
}

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Defaults of `ConnectOptions.cache`. */
export const DEFAULT_CACHE_SETTINGS: CacheSettings = {
  buster: "",
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytes: 50_000_000,
};

/**
 * What `search$` emits. A failed search is a value (`status: "error"`, `error`), not an error
 * of the observable.
 */
export interface SearchSnapshot<T> {
  /** `loading` while a search is on its way (with the previous results), then `ready` or `error`. */
  status: SearchResult["status"];
  /** The matching members, best first (at most `limit`); a failed request keeps the previous ones. */
  entities: T[];
  /** Why it failed (`not_authenticated` while logged out, `timeout`, a gateway 403/429/500…), else null. */
  error: GatewayError | null;
}

/**
 * What `entity$` emits: one entity out of `entities$([id])`. Failures are values
 * (`status: "error"`, `error`), not errors of the observable.
 */
export interface EntitySnapshot<T> {
  /** `loading` while fetched, `ready` once held or known missing, `error` when the fetch failed. */
  status: PoolSnapshot<T>["status"];
  /** The entity, or null (loading, missing or failed). Kept current while its guild is spectated. */
  entity: T | null;
  /** The gateway says this id does not exist. */
  missing: boolean;
  /** Why it could not be fetched (403, `timeout`, `not_authenticated` after a logout…), else null. */
  error: GatewayError | null;
}

/**
 * Observables over one pool (type, guild), from `GatewayClient.pool`. Each is cold, shared per
 * spec within the tab (one worker subscription however many subscribers), replays its latest
 * snapshot to late subscribers and is released when its last subscriber leaves. Load failures are
 * snapshot values (`status: "error"`); the observable errors only with `bad_input` (invalid type,
 * guild or ids), the error of `ready`, `closed`, or the reason no worker can serve the tab any
 * more after its worker ended (`unsupported`: the new worker's script failed or it kept ending;
 * `timeout`: it did not answer; `incompatible`).
 */
export interface PoolHandle<T> {
  /**
   * The whole pool, streamed in chunks (`loaded`/`total` grow while `status` is `loading`), loaded
   * once in the worker however many tabs ask, then kept current while its guild is spectated.
   * Waits for a login (empty until then). The `user` pool cannot be loaded whole: `bad_input`.
   */
  all$(): Observable<PoolSnapshot<T>>;
  /**
   * The guild's online members (PROTOCOL.md Extension 2), snapshots like `all$()`: loaded once in
   * the worker however many tabs ask (a fraction of the whole pool: 10 % of a big guild is typical),
   * kept current by presence changes (members enter and leave as they come online and go offline,
   * `entity.status` says how) while its guild is spectated, and cached like any pool. Throws
   * `bad_input` at once unless the handle is a guild's `member` pool. On a gateway without the
   * extension the snapshots say `status: "error"` with `error.code` `unsupported`: it never
   * loads the whole pool instead.
   */
  online$(): Observable<PoolSnapshot<T>>;
  /**
   * Some entities by id (setting keys for `settingValue`), in the order asked. Ids not held are
   * fetched in one `pool_request` per pool per 10 ms, batched with every tab's requests; `status`
   * is `ready` once each id is held or known missing. At most 10,000 ids, else `bad_input`.
   * Throws `bad_input` at once unless `ids` is an array of strings.
   */
  entities$(ids: readonly string[]): Observable<PoolSnapshot<T>>;
  /**
   * One entity by id, over `entities$([id])`. Unlike the others this returns a new observable at
   * every call (the subscription underneath is shared): memoise it, e.g. for `useObservable`.
   * Errors `bad_input` unless `id` is a string.
   */
  entity$(id: string): Observable<EntitySnapshot<T>>;
  /**
   * Member search (fuzzy, by name and nick, best first) run by the gateway. Throws `bad_input` at
   * once unless the handle is a guild's `member` pool and `query` a string; the observable errors `bad_input` for a
   * query over 100 characters or a `limit` outside 1–100 (default 20). Runs again after each
   * login and reconnect; results follow member updates while the guild is spectated.
   */
  search$(query: string, options?: { limit?: number }): Observable<SearchSnapshot<T>>;
}

/**
 * One tab's client, from {@link connectGateway}. Every call waits for `ready` (and rejects with
 * its error), and rejects `closed` after `close()`. Every observable is cold, shared per spec
 * within the tab, replays its latest value to late subscribers and releases the worker's
 * resources when its last subscriber leaves. `connection$`, `session$`, `spectating$` and
 * `diagnostics$` first emit the current state, then its changes.
 */
export interface GatewayClient {
  /**
   * Resolves once the worker accepted this tab: its id, build, protocol version, whether it is
   * shared, the `mode` in use and this tab's `tabId`. Rejects `incompatible` (another protocol), `config_mismatch` (another `url`),
   * `bad_input` (not an http(s)/ws(s) URL), `timeout` (no answer in 10 s) or `unsupported`
   * (the worker script failed). Awaiting it is optional: calls wait for it.
   */
  readonly ready: Promise<HelloResponse & { shared: boolean; mode: GatewayMode; tabId: string }>;
  /** The worker's one socket (status, URL, socket id, last error): the same in every tab. */
  readonly connection$: Observable<ConnectionState>;
  /** The login, the same in every tab: `anonymous`, `authenticating`, `authenticated` or `expired`. */
  readonly session$: Observable<SessionState>;
  /** The spectated guild as this tab sees it (`mine`, `wanted`); emits only when it changes. */
  readonly spectating$: Observable<SpectatingState>;
  /** The worker's state and counters, for debugging; at most one value per 250 ms. Never the token. */
  readonly diagnostics$: Observable<Diagnostics>;
  /**
   * Logs the connection in with a JWT, for every tab; resolves with the `authenticated` session.
   * The token stays in the worker's memory only. Another user's login purges the previous user's
   * pools and fails their pending requests (`not_authenticated`). Rejects `bad_input` (not a JWT,
   * malformed claims), 401 (expired or refused), `timeout`, `disconnected`, a gateway 429/500, or
   * `not_authenticated` (superseded by a later login or logout); a failed login changes nothing.
   */
  login(token: string): Promise<SessionState>;
  /**
   * Drops the login for every tab: pending authenticated requests fail `not_authenticated`, pools
   * are purged (snapshots show `status: "error"` until the next login), spectating stops. Resolves
   * even when the gateway cannot be told (a new connection starts logged out anyway).
   */
  logout(): Promise<void>;
  /**
   * Registers this tab's source of fresh tokens (null removes it; a new one replaces it). Before
   * the token expires (60 s before, or at half its remaining life) the worker asks each tab's
   * refresher in turn, 10 s each, and logs in with the first token of the same user. A refresher
   * that throws, times out or returns another user's token is skipped silently; when none gives a
   * token, the session ends `expired` at the token's expiry.
   */
  setTokenRefresher(refresher: (() => Promise<string>) | null): Promise<void>;
  /**
   * Asks the connection to spectate a guild (null: none). The latest wish of any tab wins, and a
   * tab that becomes visible or focused takes its wanted guild back. Resolves with this tab's
   * state once the gateway answered. Logs come only while some tab subscribes to the guild's
   * `logs$` (`includeLogs`, default true; false keeps them off). Rejects `not_authenticated`,
   * `bad_input` (not a snowflake), 403/404 (the wish is undone), `timeout` or `disconnected`.
   */
  spectate(guildId: string | null, options?: { includeLogs?: boolean }): Promise<SpectatingState>;
  /**
   * A handle on one pool. Guild pools (`GUILD_POOL_TYPES`) need `guildId`; `user` and `guild`
   * take none. A wrong one is not checked here: the handle's observables error `bad_input`.
   * Cheap to call: observables are shared per spec, not per handle.
   */
  pool<T extends PoolType>(type: T, options?: { guildId?: string }): PoolHandle<PoolEntities[T]>;
  /**
   * Batches of the guild's log entries while the connection spectates it with logs; subscribing
   * asks for them (unless `spectate` had `includeLogs: false`). Permission-filtered by the gateway
   * (nothing without VIEW_PUBLIC_LOGS). Live entries only, plus those missed over a reconnect
   * (replayed, each seq once). When missed entries cannot be replayed (the gateway's history is
   * too short, it restarted, or the worker ended) a batch carries `gap` (a `LogGap`): the stream
   * says so instead of going silent. A late subscriber in the tab gets the latest batch again.
   * Errors `bad_input` for a bad id.
   */
  logs$(guildId: string): Observable<LogBatch>;
  /**
   * Runs one message through the front-page bot mock (no login needed); resolves with the bot's
   * actions. Re-sent after a reconnect. Rejects `bad_input` (checked in the worker: odd message
   * id, mock guild id ≥ 10,000,000, content over 2,000 characters…), `timeout`, or a gateway 429/500.
   */
  interpret(message: InterpretMessage): Promise<InterpretReturnPayload>;
  /**
   * Deletes every partition of the pool cache (every user's cached pools), on disk and in the
   * worker's index. Pools on show stay (they are live); nothing is restored from disk afterwards
   * until written again.
   */
  clearCache(): Promise<void>;
  /**
   * Releases everything this tab holds in the worker: live subscriptions error `closed`, later
   * calls reject `closed`. Idempotent. Also done on `pagehide` (unless the page goes into the
   * back/forward cache); a crashed tab is released through its Web Lock.
   */
  close(): Promise<void>;
}

/** The mode a tab uses: the one asked for, or for `"auto"` the best this browser can do. */
export function resolveMode(options: Pick<ConnectOptions, "mode" | "shared">): GatewayMode {
  const mode = options.mode ?? (options.shared === false ? "per-tab" : "auto");
  const hasShared = typeof SharedWorker !== "undefined";
  const canLead =
    typeof BroadcastChannel !== "undefined" && typeof navigator !== "undefined" && "locks" in navigator;
  switch (mode) {
    case "auto":
      return hasShared ? "shared" : canLead ? "leader" : "per-tab";
    case "shared":
      if (!hasShared) throw new GatewayError("unsupported", "this browser has no SharedWorker");
      return mode;
    case "leader":
      if (!canLead) throw new GatewayError("unsupported", "leader mode needs Web Locks and BroadcastChannel");
      return mode;
    case "per-tab":
      return mode;
    default:
      throw new GatewayError("bad_input", `mode must be "auto", "shared", "leader" or "per-tab"`);
  }
}

/**
 * Connects this tab to the worker that holds the one gateway connection of the origin, starting
 * it if no tab has yet (a SharedWorker; a dedicated Worker per tab where there is none). Returns
 * at once: `client.ready` says when the worker accepted the tab, and every call waits for it.
 *
 * @param options The gateway `url`; optionally `worker` (a factory), `mode`, `cache`, `reconnect`, `backlog`, `batchMs`.
 * @returns The tab's client. It is closed on `pagehide`; call `close()` to release it sooner.
 * @throws {GatewayError} `bad_input` without a `url` string or with an unknown `mode`,
 *   `unsupported` when the browser cannot do the mode asked for (or has no Worker at all). Later
 *   failures reject `ready` and every call.
 * @example
 * ```ts
 * const gateway = connectGateway({ url: "https://gateway.archit.us" });
 * await gateway.login(token);
 * await gateway.spectate(guildId);
 * gateway.pool("autoResponse", { guildId }).all$().subscribe((s) => render(s.entities));
 * ```
 */
export function connectGateway(options: ConnectOptions): GatewayClient {
  if (typeof options?.url !== "string") throw new GatewayError("bad_input", "connectGateway needs { url }");
  const cacheOption = options.cache ?? {};
  if (cacheOption !== false && (typeof cacheOption !== "object" || cacheOption === null))
    throw new GatewayError("bad_input", "cache must be false or { buster?, maxAgeMs?, maxBytes? }");
  // Defaults filled in here; the worker checks the values (a bad one rejects `ready` with bad_input).
  const cacheSettings: CacheSettings | false =
    cacheOption === false ? false : { ...DEFAULT_CACHE_SETTINGS, ...definedOnly(cacheOption) };
  const handlers = new Map<number, (item: DeliveryItem) => void>();
  const link = createWorkerLink({
    url: options.url,
    factory: options.worker ?? defaultWorkerFactory,
    mode: resolveMode(options),
    cache: cacheSettings,
    reconnect: { firstDelayMs: 1000, maxDelayMs: 30_000, ...definedOnly(options.reconnect ?? {}) },
    backlog: options.backlog ?? 10_000,
    batchMs: options.batchMs ?? 16,
    deliver: (items) => {
      for (const item of items) handlers.get(item.s)?.(item);
    },
  });
  const { ready } = link;
  let closed = false;
  let nextId = 1;
  ready.catch(() => {});
  const call = <T>(
    run: (api: Comlink.Remote<WorkerApi>) => Promise<Result<T>>,
    callOptions?: { retry?: boolean },
  ): Promise<T> => {
    if (closed) return Promise.reject(new GatewayError("closed", "this client was closed"));
    return link.call(run, callOptions);
  };

  // What this tab told the worker, to tell a new one if the worker ends (the token stays in
  // this page's memory, as it does in the worker's: never in storage).
  let lastToken: string | null = null;
  let lastRefresher: (() => Promise<string>) | null = null;
  let lastWish: { guildId: string | null; includeLogs: boolean } | null = null;
  /**
   * The guild the connection spectated, as this tab last learnt it (its spectate(), spectating$,
   * a batch of logs$): a worker that takes over is asked for it again, by every tab that knows.
   */
  let connectionGuild: { guildId: string | null; includeLogs: boolean } | null = null;
  const specs = new Map<number, SubscriptionSpec>();
  /** Per logs$ subscription, the last seq delivered: a new worker resumes the stream after it. */
  const lastSeqs = new Map<number, number>();

  const cache = new Map<string, Observable<unknown>>();
  /** Subscribers of live worker subscriptions, told when the client closes. */
  const live = new Map<number, { error(error: unknown): void }>();
  /**
   * A cold observable over one worker subscription per spec, shared by every subscriber of the
   * tab: at subscribe time it joins the spec's live shared observable, or starts one (kept in
   * `cache` while subscribed, dropped when its last subscriber leaves). An observable that is
   * made and never subscribed (a render React threw away) holds nothing.
   */
  const observe = <T>(
    spec: SubscriptionSpec,
    map: (id: number) => (item: DeliveryItem) => T | undefined,
  ): Observable<T> => {
    const key = JSON.stringify(spec);
    const current = cache.get(key);
    if (current) return current as Observable<T>;
    return new Observable<T>((subscriber) => {
      let shared = cache.get(key) as Observable<T> | undefined;
      if (!shared) cache.set(key, (shared = sharedSubscription(key, spec, map)));
      return shared.subscribe(subscriber);
    });
  };
  const sharedSubscription = <T>(
    key: string,
    spec: SubscriptionSpec,
    map: (id: number) => (item: DeliveryItem) => T | undefined,
  ): Observable<T> => {
    const observable: Observable<T> = new Observable<T>((subscriber) => {
      const id = nextId++;
      const reduce = map(id);
      live.set(id, subscriber);
      specs.set(id, spec);
      handlers.set(id, (item) => {
        if (item.t === "error") subscriber.error(GatewayError.from(item.e));
        else {
          const value = reduce(item);
          if (value !== undefined) subscriber.next(value);
        }
      });
      call((api) => api.subscribe(id, spec)).catch((error: unknown) => {
        // The worker ended meanwhile: the subscription is made again on the next one.
        if (!(error instanceof GatewayError && error.code === "disconnected")) subscriber.error(error);
      });
      return () => {
        handlers.delete(id);
        live.delete(id);
        specs.delete(id);
        lastSeqs.delete(id);
        // Nobody listens any more: forget the shared observable too (the cache stays bounded).
        if (cache.get(key) === observable) cache.delete(key);
        if (!closed) void call((api) => api.unsubscribe(id)).catch(() => {});
      };
    }).pipe(share({ connector: () => new ReplaySubject<T>(1), resetOnRefCountZero: true }));
    return observable;
  };
  const values = <T>(spec: SubscriptionSpec) =>
    observe<T>(spec, () => (item) => (item.t === "value" ? (item.v as T) : undefined));

  const pool = <T extends PoolType>(
    type: T,
    poolOptions?: { guildId?: string },
  ): PoolHandle<PoolEntities[T]> => {
    const guildId = poolOptions?.guildId ?? null;
    const snapshots = (ids: readonly string[] | "all", view?: "online") =>
      observe<PoolSnapshot<PoolEntities[T]>>(
        { kind: "pool", type, guildId, ids: ids === "all" ? "all" : [...ids], ...(view ? { view } : {}) },
        () => {
          const accumulate = createPoolAccumulator<T>(ids === "all" ? null : ids);
          return (item) => (item.t === "pool" ? accumulate(item.d) : undefined);
        },
      );
    const checkIds = (ids: unknown): readonly string[] => {
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string"))
        throw new GatewayError("bad_input", "entities$ needs an array of string ids");
      return ids as string[];
    };
    return {
      all$: () => snapshots("all"),
      online$: () => {
        if (type !== "member" || guildId === null)
          throw new GatewayError("bad_input", "online$ works on a guild's member pool");
        return snapshots("all", "online");
      },
      entities$: (ids) => snapshots(checkIds(ids)),
      entity$: (id) =>
        new Observable<EntitySnapshot<PoolEntities[T]>>((subscriber) =>
          snapshots(checkIds([id])).subscribe({
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
        if (typeof query !== "string") throw new GatewayError("bad_input", "search$ needs a string query");
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
    if (document.visibilityState === "visible") void call((api) => api.focus()).catch(() => {});
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
    spectating$: observe<SpectatingState>({ kind: "spectating" }, () => (item) => {
      if (item.t !== "value") return undefined;
      const state = item.v as SpectatingState;
      if (!state.pending) connectionGuild = { guildId: state.guildId, includeLogs: state.includeLogs };
      return state;
    }),
    diagnostics$: values<Diagnostics>({ kind: "diagnostics" }),
    login: (token) => {
      if (typeof token === "string") lastToken = token;
      return call((api) => api.login(token)).catch((error: unknown) => {
        if (
          error instanceof GatewayError &&
          (error.code === 401 || error.code === "bad_input") &&
          lastToken === token
        )
          lastToken = null;
        throw error;
      });
    },
    logout: () => {
      lastToken = null;
      lastWish = null;
      connectionGuild = null;
      return call((api) => api.logout()).then(() => undefined);
    },
    setTokenRefresher: (refresher) => {
      lastRefresher = refresher;
      // The tokens it gives are the ones to hand a new worker if this one ends.
      const tracked = refresher
        ? async () => {
            const token = await refresher();
            if (typeof token === "string") lastToken = token;
            return token;
          }
        : null;
      return call((api) => api.setRefresher(tracked ? Comlink.proxy(tracked) : null)).then(() => undefined);
    },
    spectate: (guildId, spectateOptions) => {
      const wish = { guildId, includeLogs: spectateOptions?.includeLogs ?? true };
      return call((api) => api.spectate(guildId, wish)).then((state) => {
        lastWish = wish;
        connectionGuild = wish;
        return state;
      });
    },
    pool,
    logs$: (guildId) =>
      observe<LogBatch>({ kind: "logs", guildId }, (id) => (item) => {
        if (item.t === "logs") {
          const entries = JSON.parse(item.json) as LogEntry[];
          const last = entries[entries.length - 1];
          if (last) {
            lastSeqs.set(id, last.seq);
            connectionGuild = { guildId, includeLogs: true };
          }
          return entries;
        }
        // Entries may be missing here: an empty batch that says so.
        if (item.t === "gap") return Object.assign([] as LogEntry[], { gap: item.g });
        return undefined;
      }),
    // A request the gateway answers alike if asked twice: made again on the next worker.
    interpret: (message) => call((api) => api.interpret(message), { retry: true }),
    clearCache: () => call((api) => api.clearCache()).then(() => undefined),
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
      await link.close();
    },
  };

  // The worker ended (killed by the browser or devtools, crashed): say so to whoever watches the
  // connection, then tell the new worker what this tab had: its subscriptions (each gets a fresh
  // snapshot; pools come back from the cache), its token, its refresher and its guild.
  link.onLost(() => {
    for (const [id, spec] of specs)
      // A stream with a last seq resumes after it on the next worker (which says if it cannot).
      if (spec.kind === "logs" && !lastSeqs.has(id))
        handlers.get(id)?.({
          s: id,
          t: "gap",
          g: { guildId: spec.guildId, reason: "worker_restart", afterSeq: null, untilSeq: null },
        });
      else if (spec.kind === "connection")
        handlers.get(id)?.({
          s: id,
          t: "value",
          v: { status: "reconnecting", url: options.url, socketId: null, lastError: "the worker ended" },
        });
  });
  // No worker will come back (its script fails, it keeps ending, it refuses this tab): every live
  // observable errors with the reason rather than wait for ever.
  link.onFailed((error) => {
    const subscribers = [...live.values()];
    live.clear();
    handlers.clear();
    for (const subscriber of subscribers) subscriber.error(error);
  });
  link.onRestarted(() => {
    for (const [id, spec] of specs) {
      const since = lastSeqs.get(id);
      const again: SubscriptionSpec = spec.kind === "logs" && since !== undefined ? { ...spec, since } : spec;
      void call((api) => api.subscribe(id, again)).catch(() => {});
    }
    if (lastRefresher) void client.setTokenRefresher(lastRefresher).catch(() => {});
    const wish = connectionGuild ?? lastWish;
    // This tab's token elevates the new worker; a tab without one waits for another tab's.
    const session = lastToken
      ? client.login(lastToken)
      : wish
        ? firstValueFrom(
            client.session$.pipe(
              filter((s) => s.status === "authenticated"),
              timeout(15_000),
            ),
          )
        : null;
    void session
      ?.then(() => (wish ? client.spectate(wish.guildId, { includeLogs: wish.includeLogs }) : null))
      .catch(() => {});
  });
  return client;
}

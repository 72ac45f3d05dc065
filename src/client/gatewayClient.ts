import type { Observable } from "rxjs";
import type { InterpretReturnPayload, PoolEntities, PoolType } from "../protocol";
import type {
  ConnectionState,
  DevtoolsAction,
  Diagnostics,
  GatewayMode,
  HelloResponse,
  InterpretMessage,
  LogBatch,
  SessionState,
  SpectatingState,
} from "../shared";
import type { PoolHandle } from "./poolHandle";

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
   * A devtools action (`DevtoolsAction`): `drop` closes the socket's transport as a network
   * failure would (it reconnects), `restart` ends the worker (the tabs start a new one),
   * `respectate` asks the gateway for the spectated guild again. Resolves with what the worker
   * did. Rejects `bad_input` unless the client was made with `devtools: true`, or for an unknown action.
   */
  devtools(action: DevtoolsAction): Promise<string>;
  /**
   * Releases everything this tab holds in the worker: live subscriptions error `closed`, later
   * calls reject `closed`. Idempotent. Also done on `pagehide` (unless the page goes into the
   * back/forward cache); a crashed tab is released through its Web Lock.
   */
  close(): Promise<void>;
}

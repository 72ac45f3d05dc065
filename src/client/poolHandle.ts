import { defer, map, type Observable } from "rxjs";
import type { PoolEntities, PoolType } from "../protocol";
import { GatewayError, type SearchResult } from "../shared";
import { createPoolAccumulator, type PoolSnapshot } from "./poolSnapshot";
import type { Subscriptions } from "./subscriptions";

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

/** A handle on one pool (type, guild) over the tab's subscriptions (see `GatewayClient.pool`). */
export function createPoolHandle<T extends PoolType>(
  subscriptions: Subscriptions,
  type: T,
  guildId: string | null,
): PoolHandle<PoolEntities[T]> {
  const snapshots = (ids: readonly string[] | "all", view?: "online") =>
    subscriptions.observe<PoolSnapshot<PoolEntities[T]>>(
      { kind: "pool", type, guildId, ids: ids === "all" ? "all" : [...ids], ...(view ? { view } : {}) },
      () => {
        const accumulate = createPoolAccumulator<T>(ids === "all" ? null : ids);
        return (item) => (item.t === "pool" ? accumulate(item.d) : undefined);
      },
    );
  /** The guild of a `member` pool; throws `bad_input` for any other pool. */
  const memberGuild = (method: string): string => {
    if (type !== "member" || guildId === null)
      throw new GatewayError("bad_input", `${method} works on a guild's member pool`);
    return guildId;
  };
  const checkIds = (ids: unknown): readonly string[] => {
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string"))
      throw new GatewayError("bad_input", "entities$ needs an array of string ids");
    return ids as string[];
  };
  return {
    all$: () => snapshots("all"),
    online$: () => {
      memberGuild("online$");
      return snapshots("all", "online");
    },
    entities$: (ids) => snapshots(checkIds(ids)),
    entity$: (id) =>
      defer(() => snapshots(checkIds([id]))).pipe(
        map((s) => ({
          status: s.status,
          entity: s.byId.get(id) ?? null,
          missing: s.nonexistent.includes(id),
          error: s.error,
        })),
      ),
    search$: (query, searchOptions) => {
      const guild = memberGuild("search$");
      if (typeof query !== "string") throw new GatewayError("bad_input", "search$ needs a string query");
      return subscriptions.observe<SearchSnapshot<PoolEntities[T]>>(
        { kind: "search", guildId: guild, query, limit: searchOptions?.limit ?? 20 },
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
}

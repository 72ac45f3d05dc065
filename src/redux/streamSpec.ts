import { AGNOSTIC_POOL_TYPES, GUILD_POOL_TYPES, type PoolType } from "../protocol";
import { GatewayError } from "../shared/GatewayError";

/**
 * A pool to mirror into the store: the whole pool (`all$`), its online members (`view:
 * "online"`, member pools: `online$`), or some entities by id (`ids`: `entities$`). Guild pools
 * need `guildId`; `user` and `guild` take none.
 */
export interface PoolStreamSpec<T extends PoolType = PoolType> {
  /** The pool type, e.g. `"channel"`. */
  pool: T;
  /** The guild (guild pools only). */
  guildId?: string | null;
  /** `"all"` (default) or `"online"` (a guild's online members; member pools, without `ids`). */
  view?: "all" | "online";
  /** Only these entities (setting keys for `settingValue`), in this order; at most 10,000 (null: all). */
  ids?: readonly string[] | null;
}

/** A guild's live log to mirror into the store, as a window of its newest `limit` entries. */
export interface LogsStreamSpec {
  /** The guild whose log to follow. */
  logs: string;
  /** How many of the newest entries to keep (default 100, 1–100,000); the largest subscribed wins. */
  limit?: number;
}

/** What `gateway.actions.subscribe` and `release` take. */
export type StreamSpec = PoolStreamSpec | LogsStreamSpec;

/** A pool spec with its defaults filled in: what subscribe and release actions carry. */
export interface NormalizedPoolSpec {
  pool: PoolType;
  guildId: string | null;
  view: "all" | "online";
  ids: string[] | null;
}

/** A logs spec with its defaults filled in. */
export interface NormalizedLogsSpec {
  logs: string;
  limit: number;
}

/** A spec with its defaults filled in. */
export type NormalizedStreamSpec = NormalizedPoolSpec | NormalizedLogsSpec;

/** Default `limit` of a logs spec. */
export const DEFAULT_LOG_LIMIT = 100;
/** Largest `limit` of a logs spec. */
export const MAX_LOG_LIMIT = 100_000;
/** Most ids of one by-id pool spec (the client's own limit). */
export const MAX_SPEC_IDS = 10_000;

const SNOWFLAKE = /^\d{1,20}$/;
const isGuildPool = (type: string) => (GUILD_POOL_TYPES as readonly string[]).includes(type);
const isAgnosticPool = (type: string) => (AGNOSTIC_POOL_TYPES as readonly string[]).includes(type);
const bad = (message: string) => new GatewayError("bad_input", message);

/**
 * Checks a spec and fills in its defaults.
 * @throws {GatewayError} `bad_input` for anything else than a valid pool or logs spec (unknown
 *   pool type, missing or extra guild, odd ids, `view: "online"` off a member pool, a limit that
 *   is not an integer in 1–100,000…).
 */
export function normalizeStreamSpec(spec: unknown): NormalizedStreamSpec {
  if (typeof spec !== "object" || spec === null) throw bad("a gateway spec is { pool, … } or { logs, … }");
  const s = spec as Record<string, unknown>;
  if ("pool" in s === "logs" in s) throw bad("a gateway spec has either `pool` or `logs`");
  if ("logs" in s) {
    if (typeof s.logs !== "string" || !SNOWFLAKE.test(s.logs)) throw bad("logs: a guild id (1–20 digits)");
    const limit = s.limit ?? DEFAULT_LOG_LIMIT;
    if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LOG_LIMIT)
      throw bad(`logs: limit must be an integer from 1 to ${MAX_LOG_LIMIT}`);
    return { logs: s.logs, limit: limit as number };
  }
  const type = s.pool;
  if (typeof type !== "string" || !(isGuildPool(type) || isAgnosticPool(type)))
    throw bad(`pool: unknown pool type ${JSON.stringify(type)}`);
  const guildId = s.guildId ?? null;
  if (isGuildPool(type) && (typeof guildId !== "string" || !SNOWFLAKE.test(guildId)))
    throw bad(`pool ${type}: guildId must be a guild id (1–20 digits)`);
  if (isAgnosticPool(type) && guildId !== null) throw bad(`pool ${type}: takes no guildId`);
  const view = s.view ?? "all";
  if (view !== "all" && view !== "online") throw bad(`pool ${type}: view is "all" or "online"`);
  let ids: string[] | null = null;
  if (s.ids !== undefined && s.ids !== null) {
    if (!Array.isArray(s.ids) || !s.ids.every((id) => typeof id === "string" && id.length > 0))
      throw bad(`pool ${type}: ids must be an array of non-empty strings`);
    if (s.ids.length > MAX_SPEC_IDS) throw bad(`pool ${type}: at most ${MAX_SPEC_IDS} ids`);
    ids = [...(s.ids as string[])];
  }
  if (view === "online" && (type !== "member" || ids !== null))
    throw bad('view "online" is the member pool\'s, without ids');
  return { pool: type as PoolType, guildId: guildId as string | null, view, ids };
}

/** Whether a normalized spec is a logs spec. */
export const isLogsSpec = (spec: NormalizedStreamSpec): spec is NormalizedLogsSpec => "logs" in spec;

/**
 * Where a pool spec's slice lives in `state.pools`: one slice per (type, guild, view, ids). Never
 * throws (a selector given an odd spec finds no slice).
 */
export function poolKey(spec: {
  pool: PoolType;
  guildId?: string | null;
  view?: "all" | "online";
  ids?: readonly string[] | null;
}): string {
  const ids = spec.ids ? `|${JSON.stringify(spec.ids)}` : "";
  return `${String(spec.pool)}|${spec.guildId ?? ""}|${spec.view ?? "all"}${ids}`;
}

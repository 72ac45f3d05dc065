import { POOL_TYPES, PROTOCOL_VERSION, type Entity, type PoolType } from "../../src/protocol";

/** Format of a stored pool record; bump on any change of its shape (old records are discarded). */
export const CACHE_FORMAT = 1;

/** What the worker writes of one pool (type, guild) of one user: one whole record per write. */
export interface PoolRecord {
  format: typeof CACHE_FORMAT;
  protocol: number;
  buster: string;
  userId: string;
  type: PoolType;
  guildId: string | null;
  /** The whole pool (`all$`), or only the ids fetched (`entities$`/`entity$`). */
  whole: boolean;
  /** For guild pools: the last `log_pool` seq the entities reflect (null: unknown). */
  seq: number | null;
  /** `online`: the guild's online members (Extension 2); absent: the pool itself. */
  view?: "online";
  /** Member pools: the presence seq their statuses reflect (null or absent: unknown). */
  presenceSeq?: number | null;
  /** ms since epoch */
  savedAt: number;
  /** The entities as one JSON array (one string to clone and to size, parsed once on restore). */
  data: string;
  /** Ids the gateway said do not exist. */
  missing: string[];
}

/** What the worker keeps of every record for the size budget and LRU, apart from its data. */
export interface RecordMeta {
  bytes: number;
  /** Last read or write, ms since epoch. */
  usedAt: number;
}

/** The pool as restored from a record. */
export interface RestoredPool {
  entities: Entity[];
  missing: string[];
  whole: boolean;
  seq: number | null;
  savedAt: number;
  /** Member pools: the presence seq their statuses reflect (absent or null: unknown). */
  presenceSeq?: number | null;
}

/** The pool a record is of: its type, its guild, and its view (the online members, or all). */
export interface RecordOf {
  type: PoolType;
  guildId: string | null;
  view?: "online" | null;
}

/** The part of every key that names the format, the protocol and the app's buster. */
export const recordPrefix = (buster: string): string =>
  `${CACHE_FORMAT}|${PROTOCOL_VERSION}|${encodeURIComponent(buster)}`;

/** Where a record of (user, type, guild, view) lives: its data key and its meta key. */
export function recordKeys(
  buster: string,
  userId: string,
  type: PoolType,
  guildId: string | null,
  view: "online" | null = null,
): { data: string; meta: string } {
  const suffix = `${recordPrefix(buster)}|${userId}|${type}${view ? `~${view}` : ""}|${guildId ?? ""}`;
  return { data: `d|${suffix}`, meta: `m|${suffix}` };
}

/**
 * The parts of a key written by {@link recordKeys} (null for keys of another format or kind):
 * `pool` is the type with its view (`member~online`), `guildId` empty for pools of no guild.
 */
export function parseKey(
  key: unknown,
): { kind: "d" | "m"; userId: string; suffix: string; pool: string; guildId: string } | null {
  if (typeof key !== "string") return null;
  const parts = key.split("|");
  if (parts.length !== 7 || (parts[0] !== "d" && parts[0] !== "m")) return null;
  const [kind, , , , userId = "", pool = "", guildId = ""] = parts;
  return { kind, userId, suffix: parts.slice(1).join("|"), pool, guildId };
}

/** Fields every entity of a pool type has (a cheap check of restored entities' shape). */
const REQUIRED_FIELDS: { [T in PoolType]: readonly string[] } = {
  member: ["id", "name", "nick", "avatar", "discriminator", "roles", "color", "joined_at"],
  channel: ["id", "name", "type", "position"],
  role: ["id", "name", "color", "position", "hoist", "managed", "mentionable", "permissions"],
  customEmoji: ["id", "name", "author_id", "num_uses", "priority", "url"],
  autoResponse: ["id", "trigger", "response", "author_id", "mode", "count"],
  settingValue: ["id", "value"],
  user: ["id", "username", "avatar", "discriminator"],
  guild: ["id", "name", "icon", "owner", "has_architus", "architus_admin", "permissions", "member_count"],
};

/** A seq (a safe integer ≥ 0) or null. */
const seqOrNull = (x: unknown) => x === null || (Number.isSafeInteger(x) && (x as number) >= 0);

/** Why a stored record was not used. */
export type DiscardReason = "corrupt" | "version" | "expired" | "foreign";

/**
 * Checks a stored value against what was asked for and turns it into a pool, or says why not.
 * Cheap on purpose (the envelope, then each entity's id and required fields): a 50,000-member
 * pool restores in tens of milliseconds. Never throws.
 */
export function decodeRecord(
  raw: unknown,
  expected: { buster: string; userId: string } & RecordOf,
  now: number,
  maxAgeMs: number,
): { ok: true; pool: RestoredPool } | { ok: false; reason: DiscardReason } {
  if (typeof raw !== "object" || raw === null) return { ok: false, reason: "corrupt" };
  const r = raw as Partial<PoolRecord>;
  if (r.format !== CACHE_FORMAT || r.protocol !== PROTOCOL_VERSION) return { ok: false, reason: "version" };
  if (r.buster !== expected.buster) return { ok: false, reason: "version" };
  // A record under another user's key (or another pool's) is never served, whatever its key says.
  if (
    r.userId !== expected.userId ||
    r.type !== expected.type ||
    (r.guildId ?? null) !== expected.guildId ||
    (r.view ?? null) !== (expected.view ?? null)
  )
    return { ok: false, reason: "foreign" };
  if (
    typeof r.whole !== "boolean" ||
    !seqOrNull(r.seq) ||
    (r.presenceSeq !== undefined && !seqOrNull(r.presenceSeq)) ||
    typeof r.savedAt !== "number" ||
    !Number.isFinite(r.savedAt) ||
    typeof r.data !== "string" ||
    !Array.isArray(r.missing) ||
    !r.missing.every((id) => typeof id === "string")
  )
    return { ok: false, reason: "corrupt" };
  if (now - r.savedAt > maxAgeMs || r.savedAt > now + 60_000) return { ok: false, reason: "expired" };
  let entities: unknown;
  try {
    entities = JSON.parse(r.data);
  } catch {
    return { ok: false, reason: "corrupt" };
  }
  if (!Array.isArray(entities) || !POOL_TYPES.includes(expected.type))
    return { ok: false, reason: "corrupt" };
  const fields = REQUIRED_FIELDS[expected.type];
  for (const entity of entities as unknown[]) {
    if (typeof entity !== "object" || entity === null) return { ok: false, reason: "corrupt" };
    const e = entity as Record<string, unknown>;
    if (typeof e.id !== "string" || e.id.length === 0) return { ok: false, reason: "corrupt" };
    for (const field of fields) if (!(field in e)) return { ok: false, reason: "corrupt" };
  }
  return {
    ok: true,
    pool: {
      entities: entities as Entity[],
      missing: r.missing,
      whole: r.whole,
      seq: r.seq ?? null,
      savedAt: r.savedAt,
      presenceSeq: r.presenceSeq,
    },
  };
}

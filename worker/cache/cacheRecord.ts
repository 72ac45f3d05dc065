import { POOL_TYPES, PROTOCOL_VERSION, type Entity, type PoolType } from "../../src/protocol";

/** Format of a stored pool record; bump on any change of its shape (old records are discarded). */
export const CACHE_FORMAT = 3;

/**
 * A record of more than `PART_SIZE` entities holds its pool's first `HEAD_SIZE` itself (a smaller
 * one holds them all), the rest in parts of `PART_SIZE` (JSON strings), each under a key of its
 * own (`partKey`): the first entities are on show after one small read, and the rest follows a
 * part at a time, each read (the next read while this one is checked) and checked in a task of
 * its own, so no task of the worker's holds a big pool whole.
 */
export const HEAD_SIZE = 500;
export const PART_SIZE = 1_000;

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
  /** The first {@link HEAD_SIZE} entities as one JSON array (one string to clone, parsed once). */
  data: string;
  /** Entities in the record, head and parts. */
  count: number;
  /** Parts holding the entities after the head (JSON arrays, under `partKey(keys, 1…parts)`). */
  parts: number;
  /** Ids the gateway said do not exist. */
  missing: string[];
}

/** What the worker keeps of every record for the size budget and LRU, apart from its data. */
export interface RecordMeta {
  bytes: number;
  /** Last read or write, ms since epoch. */
  usedAt: number;
  /** The record's parts (their keys are deleted with it). */
  parts: number;
}

/** The pool as restored from a record: its head's entities, and how many more its parts hold. */
export interface RestoredPool {
  entities: Entity[];
  /** Entities in the whole record (the head's and every part's). */
  count: number;
  /** Parts still to read after the head. */
  parts: number;
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

/** The keys of one record: its envelope and head, its meta, and where the parts after its head are. */
export interface RecordKeys {
  data: string;
  meta: string;
  rest: string;
}

/** Where a record of (user, type, guild, view) lives. */
export function recordKeys(
  buster: string,
  userId: string,
  type: PoolType,
  guildId: string | null,
  view: "online" | null = null,
): RecordKeys {
  return keysFor(`${recordPrefix(buster)}|${userId}|${type}${view ? `~${view}` : ""}|${guildId ?? ""}`);
}

/** The keys of the record whose keys end in `suffix`. */
export const keysFor = (suffix: string): RecordKeys => ({
  data: `d|${suffix}`,
  meta: `m|${suffix}`,
  rest: `p|${suffix}`,
});

/** The key of part `i` (1 to the record's `parts`) of the record whose keys are `keys`. */
export const partKey = (keys: RecordKeys, i: number): string => `${keys.rest}|${i}`;

/** The keys of a record of `parts` parts: its data, its meta and every part's. */
export const keysOf = (keys: RecordKeys, parts: number): string[] => [
  keys.data,
  keys.meta,
  ...Array.from({ length: parts }, (_, i) => partKey(keys, i + 1)),
];

/**
 * The parts of a key written by {@link recordKeys} or {@link partKey} (null for keys of another
 * format or kind): `pool` is the type with its view (`member~online`), `guildId` empty for pools
 * of no guild, `part` what a part's key ends with, as a number (0 for a record's data and meta;
 * `readIndex` deletes a part whose number is not one of its record's).
 */
export function parseKey(key: unknown): {
  kind: "d" | "m" | "p";
  userId: string;
  suffix: string;
  pool: string;
  guildId: string;
  part: number;
} | null {
  if (typeof key !== "string") return null;
  const parts = key.split("|");
  const [kind, , , , userId = "", pool = "", guildId = "", part = 0] = parts;
  if ((kind !== "d" && kind !== "m" && kind !== "p") || parts.length !== (kind === "p" ? 8 : 7)) return null;
  return { kind, userId, suffix: parts.slice(1, 7).join("|"), pool, guildId, part: +part };
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
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * The entities of a head or a part: a JSON array of objects, each with a string id and the
 * required fields of its type (null if not). Never throws.
 */
export function decodeEntities(json: unknown, type: PoolType): Entity[] | null {
  if (typeof json !== "string" || !POOL_TYPES.includes(type)) return null;
  let entities: unknown;
  try {
    entities = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(entities)) return null;
  const fields = REQUIRED_FIELDS[type];
  for (const entity of entities as unknown[]) {
    if (typeof entity !== "object" || entity === null) return null;
    const e = entity as Record<string, unknown>;
    if (typeof e.id !== "string" || e.id.length === 0) return null;
    for (const field of fields) if (!(field in e)) return null;
  }
  return entities as Entity[];
}

/** Why a stored record was not used. */
export type DiscardReason = "corrupt" | "version" | "expired" | "foreign";

/**
 * Checks a stored value against what was asked for and turns it into a pool, or says why not.
 * Cheap on purpose (the envelope, then each entity's id and required fields): the head is
 * checked here, each part as it is read ({@link decodeEntities}). Never throws.
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
    !isCount(r.count) ||
    !isCount(r.parts) ||
    !Array.isArray(r.missing) ||
    !r.missing.every((id) => typeof id === "string")
  )
    return { ok: false, reason: "corrupt" };
  if (now - r.savedAt > maxAgeMs || r.savedAt > now + 60_000) return { ok: false, reason: "expired" };
  const entities = decodeEntities(r.data, expected.type);
  // The head is full whenever parts follow, and holds no more than the record counts.
  if (!entities || entities.length > r.count || (r.parts > 0 && entities.length < HEAD_SIZE))
    return { ok: false, reason: "corrupt" };
  return {
    ok: true,
    pool: {
      entities,
      count: r.count,
      parts: r.parts,
      missing: r.missing,
      whole: r.whole,
      seq: r.seq ?? null,
      savedAt: r.savedAt,
      presenceSeq: r.presenceSeq,
    },
  };
}

import type { ClientEventName } from "../../../src/protocol";
import { createRandom, type Random } from "../dataset/random";

/** One malformed emit: the arguments after the event name. */
export type MalformedEmit = unknown[];

type FieldKind =
  | "id"
  | "token"
  | "snowflake"
  | "mockGuild"
  | "evenId"
  | "guildOrNull"
  | "bool"
  | "type"
  | "ids"
  | "text"
  | "since"
  | "limit";

/** A valid-looking payload per event and the kind of each required/checked field. */
const SHAPES: Record<ClientEventName, { base: Record<string, unknown>; fields: Record<string, FieldKind> }> =
  {
    request_elevation: { base: { _id: 1, token: "a.b.c" }, fields: { _id: "id", token: "token" } },
    drop_elevation: { base: { _id: 1 }, fields: { _id: "id" } },
    interpret: {
      base: { _id: 1, guild_id: "5", message_id: "2", content: "!ping" },
      fields: { _id: "id", guild_id: "mockGuild", message_id: "evenId", content: "text" },
    },
    spectate: {
      base: { _id: 1, token: "a.b.c", guild_id: "1", include_logs: true },
      fields: { _id: "id", token: "token", guild_id: "guildOrNull", include_logs: "bool", since: "since" },
    },
    pool_all_request: {
      base: { _id: 1, token: "a.b.c", type: "member", guild_id: "1" },
      fields: { _id: "id", token: "token", type: "type" },
    },
    pool_request: {
      base: { _id: 1, token: "a.b.c", type: "member", guild_id: "1", ids: ["1"] },
      fields: { _id: "id", token: "token", type: "type", ids: "ids" },
    },
    pool_search_request: {
      base: { _id: 1, token: "a.b.c", type: "member", guild_id: "1", query: "a" },
      fields: { _id: "id", token: "token", guild_id: "snowflake", limit: "limit" },
    },
  };

const BAD: Record<FieldKind, unknown[]> = {
  id: [0, -1, 1.5, "1", null, true, [], {}, 2 ** 60, Number.NaN],
  token: ["", 5, null, "not a jwt", "a.b", "x".repeat(9000), ["a.b.c"], {}],
  snowflake: [1, "", "abc", "-1", "1".repeat(21), null, ["1"], " 1", "1e3"],
  mockGuild: [1, "", "abc", "10000000", "12345678901", null, ["1"]],
  evenId: [2, "", "abc", "3", "99999999999999999999", null, ["2"]],
  guildOrNull: [1, "", "x1", undefined, false, {}, "123456789012345678901"],
  bool: ["true", 1, null, undefined, [], {}],
  type: ["members", "", 3, null, "USER", ["member"], "__proto__", "constructor"],
  ids: ["1", [1], [null], ["x"], null, {}, [""], ["1".repeat(21)]],
  text: [5, null, [], {}, "x".repeat(2001)],
  since: ["1", 5, [], { pool: -1 }, { logs: "3" }, { pool: 1.5 }, null],
  limit: [0, 101, -5, 1.5, "10", null],
};

function garbageString(rng: Random): string {
  const alphabet = '{}[]":,0123456789abcdefxyz \\\u0000\u00ff\ud83d';
  let s = "";
  const len = rng.int(0, 40);
  for (let i = 0; i < len; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/**
 * `count` emits of `event` that each must be answered with a 4xx `error`: non-strings,
 * non-JSON, wrong JSON types, and payloads with one field broken or missing.
 */
export function malformedEmits(event: ClientEventName, count: number, seed: number): MalformedEmit[] {
  const rng = createRandom(seed);
  const shape = SHAPES[event];
  const out: MalformedEmit[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.int(0, 9);
    if (kind === 0) out.push([rng.pick([1, null, true, { _id: 1 }, [1, 2], 3.5, -7])]);
    else if (kind === 1) out.push([garbageString(rng)]);
    else if (kind === 2) out.push([JSON.stringify(rng.pick([1, null, "s", [shape.base], true]))]);
    else if (kind === 3)
      out.push([JSON.stringify(shape.base).slice(0, rng.int(0, JSON.stringify(shape.base).length - 1))]);
    else if (kind === 4)
      out.push(rng.chance(0.5) ? [] : [JSON.stringify(shape.base), JSON.stringify(shape.base)]);
    else if (kind === 5 && i % 500 === 0)
      out.push([JSON.stringify({ ...shape.base, pad: "x".repeat(70_000) })]);
    else {
      const payload: Record<string, unknown> = { ...shape.base, _id: i + 1 };
      const field = rng.pick(Object.keys(shape.fields));
      const fieldKind = shape.fields[field]!;
      if (rng.chance(0.2) && field in shape.base) delete payload[field];
      else payload[field] = rng.pick(BAD[fieldKind]);
      // An extra (ignored) key now and then, to show extras alone do not make a payload valid.
      if (rng.chance(0.1)) payload.extra = garbageString(rng);
      out.push([JSON.stringify(payload)]);
    }
  }
  return out;
}

import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type Channel } from "../../src/protocol";
import {
  CACHE_FORMAT,
  HEAD_SIZE,
  decodeEntities,
  decodeRecord,
  keysOf,
  parseKey,
  partKey,
  recordKeys,
  type PoolRecord,
} from "./cacheRecord";

const channel = (id: string): Channel => ({ id, name: `c${id}`, type: 0, position: 0 });
const expected = { buster: "b1", userId: "42", type: "channel" as const, guildId: "7" };
const record = (over: Partial<PoolRecord> = {}): PoolRecord => ({
  format: CACHE_FORMAT,
  protocol: PROTOCOL_VERSION,
  buster: "b1",
  userId: "42",
  type: "channel",
  guildId: "7",
  whole: true,
  seq: 12,
  savedAt: 1_000,
  data: JSON.stringify([channel("1"), channel("2")]),
  count: 2,
  parts: 0,
  missing: ["9"],
  ...over,
});
const DAY = 86_400_000;

describe("decodeRecord", () => {
  it("gives back the pool of a good record", () => {
    expect(decodeRecord(record(), expected, 2_000, DAY)).toEqual({
      ok: true,
      pool: {
        entities: [channel("1"), channel("2")],
        count: 2,
        parts: 0,
        missing: ["9"],
        whole: true,
        seq: 12,
        savedAt: 1_000,
      },
    });
  });

  it("gives back a head with the count and the parts that follow it", () => {
    const head = Array.from({ length: HEAD_SIZE }, (_, i) => channel(String(i + 1)));
    const decoded = decodeRecord(
      record({ data: JSON.stringify(head), count: 9_000, parts: 2 }),
      expected,
      2_000,
      DAY,
    );
    expect(decoded).toMatchObject({ ok: true, pool: { count: 9_000, parts: 2 } });
    expect(decoded.ok && decoded.pool.entities).toHaveLength(HEAD_SIZE);
  });

  it("discards other formats, protocols and busters as version, other users or pools as foreign", () => {
    expect(decodeRecord(record({ format: 0 as never }), expected, 2_000, DAY)).toEqual({
      ok: false,
      reason: "version",
    });
    expect(decodeRecord(record({ protocol: 99 }), expected, 2_000, DAY)).toMatchObject({ reason: "version" });
    expect(decodeRecord(record({ buster: "b0" }), expected, 2_000, DAY)).toMatchObject({ reason: "version" });
    expect(decodeRecord(record({ userId: "43" }), expected, 2_000, DAY)).toMatchObject({ reason: "foreign" });
    expect(decodeRecord(record({ type: "role" }), expected, 2_000, DAY)).toMatchObject({ reason: "foreign" });
    expect(decodeRecord(record({ guildId: "8" }), expected, 2_000, DAY)).toMatchObject({ reason: "foreign" });
  });

  it("discards records older than maxAge, or from the future", () => {
    expect(decodeRecord(record(), expected, 1_000 + DAY + 1, DAY)).toMatchObject({ reason: "expired" });
    expect(decodeRecord(record({ savedAt: 10 * DAY }), expected, 2_000, DAY)).toMatchObject({
      reason: "expired",
    });
  });

  it("discards anything truncated, hand-edited or of the wrong shape, without throwing", () => {
    const bad: unknown[] = [
      null,
      "garbage",
      42,
      [],
      record({ data: '[{"id":"1","name":"x"' }),
      record({ data: "{}" }),
      record({ data: JSON.stringify([{ ...channel("1"), id: 5 }]) }),
      record({ data: JSON.stringify([{ id: "1", name: "no type or position" }]) }),
      record({ data: JSON.stringify([null]) }),
      record({ whole: "yes" as never }),
      record({ seq: -1 }),
      record({ missing: [1] as never }),
      record({ savedAt: Number.NaN }),
      // A head that does not add up: more entities than counted, parts after a short head, bad counts.
      record({ count: 1 }),
      record({ count: 9_000, parts: 2 }),
      record({ count: -1 }),
      record({ parts: 1.5 }),
      record({ count: undefined as never }),
    ];
    for (const raw of bad) expect(decodeRecord(raw, expected, 2_000, DAY)).toMatchObject({ ok: false });
  });
});

describe("record keys", () => {
  it("carry format, protocol, an encoded buster, the user, the pool; data and meta apart", () => {
    const keys = recordKeys("a|b", "42", "member", "7");
    expect(keys.data).toBe(`d|${CACHE_FORMAT}|${PROTOCOL_VERSION}|a%7Cb|42|member|7`);
    expect(keys.meta).toBe(`m|${CACHE_FORMAT}|${PROTOCOL_VERSION}|a%7Cb|42|member|7`);
    expect(parseKey(keys.data)).toMatchObject({ kind: "d", userId: "42" });
    expect(parseKey(recordKeys("", "1", "member", "10", "online").data)).toMatchObject({
      pool: "member~online",
      guildId: "10",
    });
    expect(parseKey(recordKeys("", "1", "guild", null).meta)).toMatchObject({ kind: "m", userId: "1" });
    expect(parseKey("something else")).toBeNull();
    expect(parseKey(7)).toBeNull();
  });

  it("keep each of a record's parts under a key of its own, parsed back to the same record", () => {
    const keys = recordKeys("", "42", "member", "7");
    expect(partKey(keys, 2)).toBe(`p|${CACHE_FORMAT}|${PROTOCOL_VERSION}||42|member|7|2`);
    expect(parseKey(partKey(keys, 2))).toEqual({ ...parseKey(keys.data), kind: "p", part: 2 });
    expect(parseKey(keys.data)?.part).toBe(0);
    expect(keysOf(keys, 2)).toEqual([keys.data, keys.meta, partKey(keys, 1), partKey(keys, 2)]);
    // What a part's key ends with, as a number (readIndex deletes what is not one of its record's).
    expect(parseKey(`${keys.rest}|x`)?.part).toBeNaN();
    // Not a part's key: no number, another kind, a record's key with a number.
    for (const bad of [keys.rest, `q${partKey(keys, 1).slice(1)}`, `${keys.data}|1`])
      expect(parseKey(bad), bad).toBeNull();
  });
});

describe("decodeEntities", () => {
  it("gives the entities of a part, or null for anything that is not one, without throwing", () => {
    expect(decodeEntities(JSON.stringify([channel("1")]), "channel")).toEqual([channel("1")]);
    for (const bad of [
      undefined,
      7,
      "[",
      "{}",
      "[null]",
      JSON.stringify([{ id: "1" }]),
      JSON.stringify([{ ...channel("1"), id: "" }]),
    ])
      expect(decodeEntities(bad, "channel")).toBeNull();
    expect(decodeEntities("[]", "nope" as never)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import type { Entity } from "../../src/protocol";
import { initialPoolMeta, type PoolMeta } from "./poolReducer";
import { statusCatchUp, type StatusCatchUp } from "./statusCatchUp";

type Pool = Parameters<typeof statusCatchUp>[0];

/** A member pool with one member held, a listener, statuses of unknown age; `over` changes it. */
const pool = (over: Partial<Omit<Pool, "meta">> & { meta?: Partial<PoolMeta> } = {}): Pool => ({
  presenceBuffer: null,
  listeners: 1,
  entities: new Map<string, Entity>([["1", { id: "1" } as Entity]]),
  presenceSeq: null,
  ...over,
  meta: { ...initialPoolMeta, ...over.meta },
});

describe("statusCatchUp: a member pool once its guild's presence flows from seq 10", () => {
  const cases: [string, Pool, StatusCatchUp][] = [
    ["a partial pool of unknown age fetches its ids again", pool(), "refetchIds"],
    ["a whole pool of unknown age loads again", pool({ meta: { complete: true } }), "reload"],
    ["a restored copy is fetched again (whole or by id)", pool({ meta: { stale: true } }), "refetch"],
    ["statuses older than the flow are brought up to date", pool({ presenceSeq: 9 }), "refetchIds"],
    ["statuses at the flow's first seq are current", pool({ presenceSeq: 10 }), null],
    ["statuses above it are current", pool({ presenceSeq: 11 }), null],
    ["nothing held: nothing to bring up to date", pool({ entities: new Map() }), null],
    [
      "a whole pool held empty is brought up to date",
      pool({ entities: new Map(), meta: { complete: true } }),
      "reload",
    ],
    ["nobody listens: left alone", pool({ listeners: 0 }), null],
    ["a whole load under way: left alone", pool({ meta: { loadingAll: true } }), null],
    ["an online snapshot streaming in is checked when it is in", pool({ presenceBuffer: [] }), null],
  ];
  it.each(cases)("%s", (_name, store, expected) => {
    expect(statusCatchUp(store, 10)).toBe(expected);
  });
});

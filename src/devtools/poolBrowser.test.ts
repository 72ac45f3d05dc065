import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import type { PoolSnapshot } from "../client/poolSnapshot";
import { GatewayError } from "../shared";
import { BROWSE_LIMIT, browsable, browsePool, labelOf, type BrowseState } from "./poolBrowser";
import { pool } from "./test/fixtures";

const snapshot = (entities: object[]): PoolSnapshot<unknown> =>
  ({ status: "ready", entities, error: null }) as unknown as PoolSnapshot<unknown>;

describe("poolBrowser", () => {
  it("labelOf: what people call an entity", () => {
    expect(labelOf({ id: "1", name: "general" })).toBe("general");
    expect(labelOf({ id: "1", name: "Ann", nick: "annie" })).toBe("annie");
    expect(labelOf({ id: "1", username: "bob" })).toBe("bob");
    expect(labelOf({ id: "1", trigger: "hi" })).toBe("hi");
    expect(labelOf({ id: "1", value: 3 })).toBe("");
  });

  it("browsable: whole pools and online views only", () => {
    expect(browsable(pool())).toBe(true);
    expect(browsable(pool({ complete: false }))).toBe(false);
    expect(browsable(pool({ complete: false, view: "online" }))).toBe(true);
  });

  it("browsePool follows the pool's stream (online$ for the online view) until stopped, and says why it ended", () => {
    const all = new Subject<PoolSnapshot<unknown>>();
    const online = new Subject<PoolSnapshot<unknown>>();
    const asked: unknown[] = [];
    const client = {
      pool: (type: string, options?: { guildId?: string }) => {
        asked.push([type, options]);
        return { all$: () => all, online$: () => online };
      },
    } as never;
    const told: BrowseState[] = [];
    const stop = browsePool(client, pool(), (s) => told.push(s));
    const many = Array.from({ length: BROWSE_LIMIT + 5 }, (_, i) => ({ id: String(i), name: `m${i}` }));
    all.next(snapshot(many));
    expect(asked).toEqual([["member", { guildId: "7" }]]);
    expect(told[0]).toMatchObject({
      key: "member|7|",
      status: "ready",
      count: BROWSE_LIMIT + 5,
      error: null,
    });
    expect(told[0]!.rows).toHaveLength(BROWSE_LIMIT);
    expect(told[0]!.rows[1]).toEqual({ id: "1", label: "m1" });
    stop();
    expect(all.observed).toBe(false);

    const stopOnline = browsePool(client, pool({ view: "online" }), (s) => told.push(s));
    online.error(new GatewayError("closed", "the client was closed"));
    expect(told.at(-1)).toEqual({
      key: "member|7|online",
      status: "error",
      rows: [],
      count: 0,
      error: "closed: the client was closed",
    });
    stopOnline();
  });
});

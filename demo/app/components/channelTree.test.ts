import { describe, expect, it } from "vitest";
import type { Channel } from "../../../src";
import { CATEGORY, channelTree } from "./channelTree";

const ch = (id: string, type: number, position: number, parent_id: string | null = null): Channel => ({
  id,
  name: `c${id}`,
  type,
  position,
  parent_id,
});

describe("channelTree", () => {
  it("groups channels under their categories, in Discord's order; loose ones first", () => {
    const groups = channelTree([
      ch("10", CATEGORY, 1),
      ch("11", 0, 2, "10"),
      ch("12", 0, 1, "10"),
      ch("20", CATEGORY, 0),
      ch("1", 0, 5),
      ch("2", 2, 3, "99"), // its category is not in the pool: shown with the loose ones
      ch("30", CATEGORY, 2), // empty: still shown
    ]);
    expect(groups.map((g) => [g.category?.id ?? null, g.channels.map((c) => c.id)])).toEqual([
      [null, ["2", "1"]],
      ["20", []],
      ["10", ["12", "11"]],
      ["30", []],
    ]);
  });

  it("nothing in, nothing out", () => {
    expect(channelTree([])).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { Wishes } from "./wishes";

describe("Wishes: which tab's guild wins", () => {
  it("the latest wish wins; a focused tab takes its guild back", () => {
    const wishes = new Wishes();
    wishes.wish("a", "7", true);
    wishes.wish("b", "8", false);
    expect(wishes.desired).toEqual({ guildId: "8", owner: "b", includeLogs: false });
    expect(wishes.focus("a")).toBe(true);
    expect(wishes.desired).toEqual({ guildId: "7", owner: "a", includeLogs: false });
    expect(wishes.focus("a")).toBe(false); // already its own
    expect(wishes.focus("never-wished")).toBe(false);
  });

  it("a refused wish is undone (and only it): the tab's earlier wish comes back", () => {
    const wishes = new Wishes();
    wishes.wish("a", "7", true);
    const before = wishes.desired;
    const { undo } = wishes.wish("a", "9", true);
    undo();
    expect(wishes.desired).toBe(before);
    expect(wishes.wantedBy("a")).toBe("7");
    const first = wishes.wish("b", "5", true);
    wishes.wish("c", "6", true);
    first.undo(); // a later wish stays
    expect(wishes.desired.guildId).toBe("6");
    expect(wishes.wantedBy("b")).toBeNull();
  });

  it("a leaving tab's wish stays, owned by nobody; saved wishes come back as they were", () => {
    const wishes = new Wishes();
    wishes.wish("a", "7", true);
    const saved = wishes.save();
    wishes.remove("a");
    expect(wishes.desired).toEqual({ guildId: "7", owner: null, includeLogs: true });
    wishes.clear();
    expect(wishes.desired.guildId).toBeNull();
    wishes.restore(saved);
    expect(wishes.desired).toEqual({ guildId: "7", owner: "a", includeLogs: true });
    expect(wishes.wantedBy("a")).toBe("7");
  });
});

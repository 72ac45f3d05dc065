import { describe, expect, it } from "vitest";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { askRefreshers, refreshDelay, type Refresher } from "./refreshers";

describe("refreshDelay", () => {
  it("refreshes the lead before expiry, or halfway when less than twice the lead is left", () => {
    expect(refreshDelay(100_000, 0, 10_000)).toBe(90_000);
    expect(refreshDelay(100_000, 90_000, 10_000)).toBe(5_000);
    expect(refreshDelay(100_000, 100_000, 10_000)).toBe(0);
  });
});

describe("askRefreshers", () => {
  it("asks the tabs in turn until one's token is taken, passing failures and passed tokens", async () => {
    const clock = createManualClock(0);
    const asked: string[] = [];
    const tab =
      (name: string, answer: () => Promise<string>): Refresher =>
      () => {
        asked.push(name);
        return answer();
      };
    const taken: string[] = [];
    await askRefreshers(
      [
        tab("failing", () => Promise.reject(new Error("closed"))),
        tab("other user", async () => "bob"),
        tab("throws in use", async () => "bad"),
        tab("right", async () => "alice"),
        tab("never asked", async () => "alice"),
      ],
      clock,
      (token) => {
        if (token === "bad") throw new Error("not a JWT");
        if (token === "bob") return false;
        taken.push(token);
        return Promise.resolve();
      },
    );
    expect(asked).toEqual(["failing", "other user", "throws in use", "right"]);
    expect(taken).toEqual(["alice"]);
  });

  it("moves on from a tab that never answers once its timeout passes", async () => {
    const clock = createManualClock(0);
    let taken: string | null = null;
    const done = askRefreshers([() => new Promise<string>(() => {}), async () => "alice"], clock, (token) => {
      taken = token;
    });
    await Promise.resolve();
    clock.advance(9_999);
    await Promise.resolve();
    expect(taken).toBeNull();
    clock.advance(1);
    await done;
    expect(taken).toBe("alice");
  });
});

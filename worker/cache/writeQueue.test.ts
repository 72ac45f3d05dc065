import { describe, expect, it } from "vitest";
import { createManualClock } from "../../demo/gateway/test/manualClock";
import { WriteQueue } from "./writeQueue";

/** A queue with a 1 s window whose `due` takes what is pending into `flushed`. */
function setUp() {
  const clock = createManualClock(0);
  const flushed: string[][] = [];
  const failures: unknown[] = [];
  let settled = 0;
  const queue: WriteQueue<string> = new WriteQueue<string>({
    clock,
    intervalMs: 1000,
    due: () => flushed.push(queue.take()),
    failed: (error) => failures.push(error),
    settled: () => settled++,
  });
  return { clock, queue, flushed, failures, settled: () => settled };
}

describe("WriteQueue", () => {
  it("coalesces: within the window the last item asked for a key wins, in the order keys first came", () => {
    const { clock, queue, flushed } = setUp();
    queue.schedule("a", "a1");
    queue.schedule("b", "b1");
    queue.schedule("a", "a2");
    clock.advance(999);
    expect(flushed).toEqual([]);
    clock.advance(1);
    expect(flushed).toEqual([["a2", "b1"]]);
  });

  it("take ends the window at once: nothing is due after it, and nothing is left pending", () => {
    const { clock, queue, flushed } = setUp();
    queue.schedule("a", "a1");
    expect(queue.take()).toEqual(["a1"]);
    clock.advance(5000);
    expect(flushed).toEqual([]);
    expect(queue.take()).toEqual([]);
  });

  it("clear drops what is pending; the window still ends, with nothing to write", () => {
    const { clock, queue, flushed } = setUp();
    queue.schedule("a", "a1");
    queue.clear();
    clock.advance(1000);
    expect(flushed).toEqual([[]]);
  });

  it("a batch that took long stretches the next window to 20 times its time, never below the interval", () => {
    const { clock, queue, flushed } = setUp();
    queue.tookMs(100);
    queue.schedule("a", "a1");
    clock.advance(1999);
    expect(flushed).toEqual([]);
    clock.advance(1);
    expect(flushed).toHaveLength(1);
    queue.tookMs(1);
    queue.schedule("b", "b1");
    clock.advance(1000);
    expect(flushed).toHaveLength(2);
  });

  it("runs chained operations one after the other; a failure is reported and the chain goes on", async () => {
    const { queue, failures, settled } = setUp();
    const ran: string[] = [];
    let release = () => {};
    queue.chain(() => new Promise<void>((resolve) => (release = () => (ran.push("first"), resolve()))));
    queue.chain(() => {
      throw new Error("disk full");
    });
    queue.chain(() => void ran.push("third"));
    await Promise.resolve();
    expect(ran).toEqual([]);
    release();
    await queue.idle;
    expect(ran).toEqual(["first", "third"]);
    expect(failures).toEqual([new Error("disk full")]);
    expect(settled()).toBe(3);
  });
});

import { describe, expect, it } from "vitest";
import { createActivity } from "../activity";
import { createInProcessBroker } from "../broker";
import { DATASET_EPOCH } from "../createGateway";
import { generateDataset } from "../dataset/generateDataset";
import { createRandom } from "../dataset/random";
import type { TopicLog } from "../history";
import { createManualClock } from "./manualClock";

describe("background activity backpressure", () => {
  it("makes no more than maxInFlight events while history does not take them, then resumes", async () => {
    const clock = createManualClock(DATASET_EPOCH);
    const dataset = generateDataset({ seed: 1, now: DATASET_EPOCH, bigGuildMembers: 200 });
    // History that is away: appends wait until `restore()`.
    let restore!: () => void;
    const back = new Promise<void>((resolve) => (restore = resolve));
    const seqs = new Map<string, number>();
    const stored: string[] = [];
    const events: TopicLog = {
      async append(topic, build) {
        const seq = (seqs.get(topic) ?? 0) + 1;
        seqs.set(topic, seq);
        const value = build(seq);
        await back;
        stored.push(`${topic}#${seq}`);
        return { seq, payload: JSON.stringify(value), value };
      },
    };
    const broker = createInProcessBroker();
    const errors: unknown[] = [];
    const activity = createActivity({
      dataset,
      events,
      broker,
      clock,
      random: createRandom(7),
      onError: (e) => errors.push(e),
      maxInFlight: 50,
    });
    activity.setRate(1000);
    clock.advance(1000); // 1,000 events due
    expect(activity.load()).toEqual({ inFlight: 50, throttled: 950 });
    clock.advance(1000);
    expect(activity.load()).toEqual({ inFlight: 50, throttled: 1950 });

    restore();
    await expect.poll(() => activity.load().inFlight).toBe(0);
    expect(stored).toHaveLength(50);
    // History is back: the rate makes events again (each tick's stored before the next).
    for (let tick = 0; tick < 5; tick++) {
      clock.advance(20);
      await expect.poll(() => activity.load().inFlight).toBe(0);
    }
    expect(stored).toHaveLength(150);
    expect(activity.load()).toEqual({ inFlight: 0, throttled: 1950 });
    activity.stop();
    expect(errors).toEqual([]);
  });
});

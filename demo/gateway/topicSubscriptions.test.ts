import { describe, expect, it } from "vitest";
import { createInProcessBroker } from "./broker";
import { createTopicSubscriptions } from "./topicSubscriptions";

describe("topicSubscriptions", () => {
  it("subscribes on the first reference, unsubscribes on the last, and delivers only meanwhile", async () => {
    const broker = createInProcessBroker();
    const got: string[] = [];
    const subs = createTopicSubscriptions(
      broker,
      (t, m) => got.push(`${t}:${m}`),
      (e) => {
        throw e;
      },
    );
    subs.acquire("g");
    subs.acquire("g");
    subs.acquire("g_logs");
    await Promise.resolve();
    expect(subs.topics()).toEqual(["g", "g_logs"]);
    await broker.publish("g", "1");
    subs.release("g");
    await broker.publish("g", "2");
    subs.release("g");
    subs.release("g"); // extra releases are harmless
    await broker.publish("g", "3");
    await broker.publish("g_logs", "4");
    expect(subs.topics()).toEqual(["g_logs"]);
    expect(got).toEqual(["g:1", "g:2", "g_logs:4"]);
    await subs.close();
    await broker.publish("g_logs", "5");
    expect(got).toEqual(["g:1", "g:2", "g_logs:4"]);
  });
});

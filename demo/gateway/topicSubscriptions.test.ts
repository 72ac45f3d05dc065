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

  it("tells `subscribed` only of a subscription still held when it is in place", async () => {
    const broker = createInProcessBroker();
    const hooks: string[] = [];
    const subs = createTopicSubscriptions(
      broker,
      () => {},
      (e) => {
        throw e;
      },
      {
        subscribed: async (t) => void hooks.push(`subscribed ${t}`),
        unsubscribed: (t) => void hooks.push(`unsubscribed ${t}`),
      },
    );
    subs.acquire("g"); // released within the subscribe round trip
    const first = subs.ready("g");
    subs.release("g");
    subs.acquire("h"); // released, then acquired again: one subscription is current
    subs.release("h");
    subs.acquire("h");
    await Promise.all([first, subs.ready("h")]);
    expect(hooks).toEqual(["unsubscribed g", "unsubscribed h", "subscribed h"]);
    await subs.close();
  });
});

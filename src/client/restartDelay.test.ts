import { describe, expect, it } from "vitest";
import { GatewayError } from "../shared";
import { createWorkerLink } from "./workerLink";
import { HELLO_TIMEOUT_MS } from "./workerInstance";
import { SETTINGS, createFakeEnvironment, flush, flushUntil } from "./test/fakeEnvironment";

const DELAY = 150;

function delayedLink() {
  const fake = createFakeEnvironment();
  fake.env.restartDelayMs = DELAY;
  const told: string[] = [];
  const link = createWorkerLink(
    SETTINGS,
    {
      deliver: () => {},
      lost: () => told.push("lost"),
      restarted: () => told.push("restarted"),
      failed: () => told.push("failed"),
    },
    fake.env,
  );
  return { fake, link, told };
}

describe("a SharedWorker's replacement (Firefox attaches one made as the previous worker ends to that ending worker)", () => {
  it("is made restartDelayMs after the end; a call made meanwhile waits for it instead of failing", async () => {
    const { fake, link, told } = delayedLink();
    await link.ready;
    fake.worker().die();
    await flushUntil(() => told.includes("lost"));
    expect(fake.connections).toHaveLength(1);
    const call = link.call((api) => api.interpret({ guild_id: "7", message_id: "1", content: "x" }));
    fake.clock.advance(DELAY - 1);
    await flush();
    expect(fake.connections).toHaveLength(1);
    fake.clock.advance(1);
    await flushUntil(() => told.includes("restarted"));
    expect(fake.connections).toHaveLength(2);
    await expect(call).resolves.toEqual({ actions: [] });
    await link.close();
    expect(fake.clock.pending).toBe(0);
  });

  it("a replacement that never answers hello is replaced by another; closing during the delay opens nothing", async () => {
    const { fake, link, told } = delayedLink();
    await link.ready;
    const first = fake.worker();
    first.die();
    await flushUntil(() => told.includes("lost"));
    // The next worker is attached to the ending one: it never answers.
    fake.worker().answer = () => undefined;
    fake.clock.advance(DELAY);
    await flushUntil(() => fake.connections[1]?.received.length === 1);
    fake.clock.advance(HELLO_TIMEOUT_MS);
    await flushUntil(() => fake.connections[1]!.isClosed);
    // Given up on, and another made after the delay, which answers.
    fake.worker().answer = null;
    fake.clock.advance(DELAY);
    await flushUntil(() => told.includes("restarted"));
    expect(fake.connections).toHaveLength(3);
    expect(fake.connections[1]!.isClosed).toBe(true);
    expect(told).toEqual(["lost", "restarted"]);

    // Closing while a replacement waits: nothing is opened, no timer is left.
    fake.worker().die();
    await flushUntil(() => told.filter((t) => t === "lost").length === 2);
    await link.close();
    fake.clock.advance(DELAY);
    await flush();
    expect(fake.connections).toHaveLength(3);
    expect(fake.clock.pending).toBe(0);
    await expect(link.call((api) => api.focus())).rejects.toEqual(expect.any(GatewayError));
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type { LogOtherPayload } from "../../../src/protocol";
import type { TopicEvent } from "../topicEvent";
import type { EventLog } from "../eventLog";
import { createLocalHistory, type NodeHistory } from "../history";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => h?.stop());

/**
 * History that answers what it held when asked, but only once `open()` is called: as a shared
 * store's round trip, during which the node goes on delivering live entries.
 */
function slowHistory(events: EventLog<TopicEvent>) {
  const local = createLocalHistory(events);
  let asked: () => void = () => {};
  let open: () => void = () => {};
  const history: NodeHistory = {
    ...local,
    async since(topic, seq) {
      const held = events.since(topic, seq);
      const gate = new Promise<void>((resolve) => (open = resolve));
      asked();
      await gate;
      return held;
    },
  };
  return {
    history,
    asked: () => new Promise<void>((resolve) => (asked = resolve)),
    open: () => open(),
  };
}

describe("replay while history is read", () => {
  it.each([
    { label: "history had nothing new", since: 3, expected: [4, 5] },
    { label: "history had some", since: 1, expected: [2, 3, 4, 5] },
  ])("what arrives during the read is replayed too, once ($label)", async ({ since, expected }) => {
    let slow: ReturnType<typeof slowHistory> | undefined;
    h = await startHarness({ history: ({ events }) => (slow = slowHistory(events)).history });
    const hub = h.guildId("Architus Hub");
    const { client: c, token } = await h.userClient("dave");
    await h.gateway.activity.publish(hub, "message", 3);

    const asked = slow!.asked();
    const from = c.frames.length;
    const answer = c.ask(
      "spectate",
      { token, guild_id: hub, include_logs: true, since: { logs: since } },
      "spectate_return",
    );
    await asked;
    // Delivered to the guild's rooms while the socket has not joined them yet.
    await h.gateway.activity.publish(hub, "message", 2);
    slow!.open();
    expect(await answer).toMatchObject({ logs_seq: 5, replayed: expected.length });
    await h.gateway.activity.publish(hub, "message", 1);
    await c.waitFor((f) => f.event === "log_other" && (f.payload as LogOtherPayload).seq === 6, from);
    expect(c.of("log_other", from).map((e) => e.seq)).toEqual([...expected, 6]);
  });
});

import { describe as suite, expect, it } from "vitest";
import type { LogAction } from "../../../src/protocol";
import { actionName, ago, describe, namedMembers, type Names } from "./logRow";

const action = (over: Partial<LogAction>): LogAction => ({
  id: "1",
  action_number: 3001,
  timestamp: 0,
  guild_id: "9",
  private: false,
  reversible: false,
  ...over,
});
const names: Names = {
  member: (id) => ({ "10": "dave", "11": "Nick of Erin" })[id] ?? null,
  channel: (id) => (id === "20" ? "general" : null),
};

suite("the demo's log rows", () => {
  it("name actions from the log action table", () => {
    expect(actionName(3001)).toBe("MESSAGE_SEND");
    expect(actionName(3200)).toBe("AUTO_RESPONSE_ADD");
    expect(actionName(9999)).toBe("ACTION_9999");
  });

  it("resolve the agent, a member subject and the channel through the pools, ids where they are not held", () => {
    expect(describe(action({ agent_id: "10", channel_id: "20", content: "hi" }), names)).toBe(
      "dave MESSAGE_SEND in #general: hi",
    );
    // The content is shown as it is, " :" and all.
    expect(describe(action({ agent_id: "10", content: "a : b" }), names)).toBe("dave MESSAGE_SEND: a : b");
    expect(describe(action({ action_number: 22, agent_id: "10", subject_id: "11" }), names)).toBe(
      "dave MEMBER_BAN_ADD → Nick of Erin",
    );
    expect(describe(action({ agent_id: "12", subject_id: "99", channel_id: "21" }), names)).toBe(
      "12 MESSAGE_SEND in #21",
    );
  });

  it("mark private entries and show nothing of their content", () => {
    expect(describe(action({ agent_id: "10", private: true, content: "secret" }), names)).toBe(
      "dave MESSAGE_SEND (private)",
    );
  });

  it("say how long ago, and which members an entry names", () => {
    expect(ago(0, 5_000)).toBe("5 s ago");
    expect(ago(0, 180_000)).toBe("3 min ago");
    expect(namedMembers(action({ agent_id: "10", subject_id: null }))).toEqual(["10"]);
  });
});

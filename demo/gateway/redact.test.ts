import { describe, expect, it } from "vitest";
import type { LogPoolPayload } from "../../src/protocol";
import { canSeeLogEntry, viewPoolEvent } from "./redact";

const action = {
  id: "1",
  action_number: 30,
  timestamp: 5,
  guild_id: "9",
  agent_id: "2",
  subject_id: "3",
  private: true,
  reversible: false,
  data: { name: "secret role" },
};
const event: LogPoolPayload = {
  guild_id: "9",
  seq: 4,
  action,
  updates: [
    {
      type: "role",
      op: "add",
      id: "3",
      entity: {
        id: "3",
        name: "r",
        color: null,
        position: 1,
        hoist: false,
        managed: false,
        mentionable: false,
        permissions: "0",
      },
    },
    { type: "settingValue", op: "update", id: "prefix", entity: { id: "prefix", value: "?" } },
  ],
};

describe("redact", () => {
  it("keeps everything for a full view (same object)", () => {
    expect(viewPoolEvent(event, { logs: true, privateLogs: true, settings: true })).toBe(event);
  });
  it("drops settings updates without VIEW_SETTINGS and redacts the action", () => {
    const v = viewPoolEvent(
      { ...event, action: { ...action, private: false } },
      { logs: true, privateLogs: true, settings: false },
    );
    expect(v.updates.map((u) => u.type)).toEqual(["role"]);
    expect(v.action).toEqual({
      id: "1",
      action_number: 30,
      timestamp: 5,
      guild_id: "9",
      private: false,
      reversible: false,
    });
    expect(v.seq).toBe(4);
  });
  it("redacts private details without VIEW_PRIVATE_LOGS but keeps the updates", () => {
    const v = viewPoolEvent(event, { logs: true, privateLogs: false, settings: true });
    expect(v.updates).toEqual(event.updates);
    expect(v.action.data).toBeUndefined();
    expect(v.action.agent_id).toBeUndefined();
  });
  it("log entries: public needs logs, private needs private logs", () => {
    expect(
      canSeeLogEntry({ ...action, private: false }, { logs: true, privateLogs: false, settings: false }),
    ).toBe(true);
    expect(canSeeLogEntry(action, { logs: true, privateLogs: false, settings: false })).toBe(false);
    expect(canSeeLogEntry(action, { logs: true, privateLogs: true, settings: false })).toBe(true);
    expect(
      canSeeLogEntry({ ...action, private: false }, { logs: false, privateLogs: true, settings: true }),
    ).toBe(false);
  });
});

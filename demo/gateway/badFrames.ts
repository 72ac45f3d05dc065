import { SERVER_EVENT_NAMES } from "../../src/protocol";
import type { GatewayContext } from "./context";
import { logsTopic, poolTopic } from "./broker";
import { createRandom, type Random } from "./dataset/random";

/** Values of every wrong kind, for any field. */
const JUNK: unknown[] = [
  null,
  undefined,
  true,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  "",
  "x".repeat(70_000),
  "not a snowflake",
  [],
  [1, 2],
  {},
  { nested: { deep: [null] } },
];

/**
 * A frame of `event` the gateway should never send: a plausible payload with one field broken,
 * a payload that is not a JSON string, JSON that is not an object, an unknown `_id`, a seq that
 * goes backwards or repeats, entities of another pool type or guild, or a guild not spectated.
 */
export function malformedFrame(
  rng: Random,
  event: string,
  guild: string,
  other: string,
  seqs: { pool: number; logs: number },
): unknown {
  // A batch of one broken entry (each entry is checked as its single frame would be), or junk.
  if (event === "log_batch") {
    const kind = rng.pick(["log_pool", "log_other"] as const);
    const inner = malformedFrame(rng, kind, guild, other, seqs);
    let entry: unknown;
    try {
      entry = typeof inner === "string" ? JSON.parse(inner) : null;
    } catch {
      return inner;
    }
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return inner;
    return JSON.stringify({
      guild_id: guild,
      pool: kind === "log_pool" ? [entry] : [],
      logs: kind === "log_other" ? [entry] : [],
    });
  }
  const base: Record<string, Record<string, unknown>> = {
    request_elevation_return: { _id: 999_999, success: true },
    drop_elevation_return: { _id: 999_999, success: true },
    interpret_return: {
      _id: 999_999,
      guild_id: "7",
      actions: [{ action: 3001, message_id: "3", content: "x" }],
    },
    spectate_return: {
      _id: 999_999,
      success: true,
      guild_id: guild,
      include_logs: true,
      pool_seq: 1,
      logs_seq: 1,
      replayed: 0,
    },
    pool_response: { _id: 999_999, type: "role", guild_id: other, data: [], nonexistent: [], finished: true },
    log_pool: {
      guild_id: rng.pick([guild, other]),
      seq: rng.int(0, seqs.pool),
      action: {
        id: "1",
        action_number: 30,
        timestamp: 1,
        guild_id: guild,
        private: false,
        reversible: false,
      },
      updates: [{ type: rng.pick(["member", "role", "nope"]), op: "update", id: "1", entity: { id: "2" } }],
    },
    log_other: {
      guild_id: rng.pick([guild, other]),
      seq: rng.int(0, seqs.logs),
      action: {
        id: "1",
        action_number: 3001,
        timestamp: 1,
        guild_id: guild,
        private: false,
        reversible: false,
      },
    },
    error: { _id: 999_999, code: rng.pick([400, 418, 500]), message: "x" },
    session_expired: { reason: 5 },
  };
  const payload = { ...(base[event] ?? { anything: 1 }) };
  switch (rng.int(0, 5)) {
    case 0:
      return rng.pick(JUNK); // not a string at all
    case 1:
      return JSON.stringify(rng.pick(JUNK)) ?? "undefined";
    case 2:
      return "{not json";
    default: {
      const keys = Object.keys(payload);
      const key = keys.length > 0 ? rng.pick(keys) : "x";
      if (event === "session_expired") payload.reason = rng.pick(JUNK.filter((j) => typeof j !== "string"));
      else if (rng.int(0, 1) === 0) payload[key] = rng.pick(JUNK);
      return JSON.stringify(payload);
    }
  }
}

/** Every server event, plus events the protocol does not have. */
export const BAD_FRAME_EVENTS: readonly string[] = [...SERVER_EVENT_NAMES, "no_such_event", "__proto__"];

/**
 * The `bad_frames` fault: sends every socket `perEvent` malformed frames of each event in
 * {@link BAD_FRAME_EVENTS} (seqs up to the guild's latest: backwards or repeated; entities of
 * `otherGuildId`). Returns how many frames each socket was sent.
 */
export function sendBadFrames(
  ctx: GatewayContext,
  options: { perEvent: number; guildId: string; otherGuildId: string; seed?: number },
): number {
  const rng = createRandom(options.seed ?? 42);
  const seqs = {
    pool: ctx.events.latest(poolTopic(options.guildId)),
    logs: ctx.events.latest(logsTopic(options.guildId)),
  };
  // Untyped on purpose: these frames break the protocol.
  const io = ctx.io as unknown as { emit(event: string, payload: unknown): void };
  let sent = 0;
  for (const event of BAD_FRAME_EVENTS)
    for (let i = 0; i < options.perEvent; i++) {
      io.emit(event, malformedFrame(rng, event, options.guildId, options.otherGuildId, seqs));
      sent++;
    }
  return sent;
}

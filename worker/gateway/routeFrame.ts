import * as v from "valibot";
import type { LogOtherPayload, LogPoolPayload, LogPresencePayload, PoolType } from "../../src/protocol";
import { parsePayload } from "../../src/schema/parsePayload";
import { GatewayError } from "../../src/shared";
import type { Counters } from "../counters";
import type { Pools } from "../pools/pools";
import type { Session } from "../session/session";
import type { Spectator } from "../spectate/spectator";
import type { LogSubscribers } from "../tabs/logSubscribers";
import type { Requests } from "./requests";
import { inboundSchemas, itemSchemas, keepValid, type LogBatchFrame } from "./inbound";

/**
 * Handles one frame from the gateway: validates it (a bad one is counted, logged, fails the
 * request waiting for it and changes nothing), then routes it to the pools, the spectator,
 * the log subscribers, the session or the request that waits for it. Presence frames (Extension 2)
 * go to the member pools, in seq order like pool events.
 */
/** What routing a frame uses of the hub (a type: the hub itself is passed). */
export interface FrameTargets {
  counters: Counters;
  spectator: Spectator;
  pools: Pools;
  logs: LogSubscribers;
  requests: Requests;
  session: Pick<Session, "expired">;
  options: { log?: ((message: string) => void) | undefined };
}

export function routeFrame(hub: FrameTargets, event: string, raw: unknown): void {
  const { counters } = hub;
  counters.countInbound(event);
  // Own keys only: an event named "__proto__" or "constructor" is just unknown.
  const schema = Object.prototype.hasOwnProperty.call(inboundSchemas, event)
    ? (inboundSchemas[event as keyof typeof inboundSchemas] as v.GenericSchema<unknown>)
    : undefined;
  if (!schema) return badFrame(hub, event, "unknown event");
  const parsed = parsePayload(schema, raw, Number.POSITIVE_INFINITY);
  if (!parsed.ok) {
    badFrame(hub, event, parsed.error.message);
    if (parsed.error._id !== undefined)
      hub.requests.fail(
        parsed.error._id,
        new GatewayError("bad_frame", `the gateway sent a malformed ${event}`),
      );
    return;
  }
  const payload = dropMalformedItems(hub, event, parsed.value);
  switch (event) {
    case "log_pool":
      return applyInOrder(hub, payload as LogPoolPayload);
    case "log_other":
      // The gateway's own string goes to the tabs: no re-serialisation.
      return applyLogOther(hub, payload as LogOtherPayload, raw as string);
    case "log_batch":
      return applyLogBatch(hub, payload as LogBatchFrame);
    case "log_presence":
      return applyInOrder(hub, payload as LogPresencePayload);
    case "session_expired":
      hub.session.expired();
      return;
    default:
      if (!hub.requests.handleFrame(event, payload))
        counters.count(event === "error" ? "gatewayErrors" : "orphanFrames");
  }
}

/**
 * A pool event or a presence frame: applied in seq order (the spectator says whether this one is
 * the next), and counted as stale, duplicate, ahead or a gap otherwise.
 */
function applyInOrder(hub: FrameTargets, e: LogPoolPayload | LogPresencePayload): void {
  const { counters, spectator } = hub;
  const pool = "action" in e;
  if (!spectator.accepts(e.guild_id, pool ? "pool" : "includePresence")) return counters.count("staleFrames");
  const take = pool ? spectator.takePool(e.guild_id, e.seq) : spectator.takePresence(e.guild_id, e.seq);
  if (take !== "apply")
    return counters.count(take === "gap" ? "gaps" : take === "ahead" ? "aheadFrames" : "duplicateFrames");
  if (pool) {
    hub.pools.applyLogPool(e);
    spectator.poolApplied(e.guild_id, e.seq);
  } else {
    hub.pools.applyPresence(e);
    spectator.presenceApplied(e.guild_id, e.seq);
    counters.count("presenceFrames");
  }
}

function applyLogOther(hub: FrameTargets, e: LogOtherPayload, raw: string): void {
  const { counters } = hub;
  // In flight while the guild changed or the session ended: nobody may see it any more.
  if (!hub.spectator.accepts(e.guild_id, "includeLogs")) return counters.count("staleFrames");
  if (!hub.spectator.takeLog(e.guild_id, e.seq, raw)) return counters.count("duplicateFrames");
  counters.tally("logEntries");
  const subscribers = hub.logs.get(e.guild_id);
  if (subscribers) for (const subscriber of subscribers.values()) subscriber.entry(raw, e.seq);
}

/**
 * A `log_batch` (PROTOCOL.md Extension 1): each entry is checked and applied as if it had come
 * alone (its own seq). A malformed entry, or one of another guild than the batch's, is counted
 * (`badFrames`) and dropped; the rest of the batch goes on. A log entry goes to the tabs as its
 * own JSON (its single frame's payload).
 */
function applyLogBatch(hub: FrameTargets, batch: LogBatchFrame): void {
  for (const item of batch.pool) {
    if (!v.is(inboundSchemas.log_pool, item) || item.guild_id !== batch.guild_id) {
      badFrame(hub, "log_batch", "malformed pool entry");
      continue;
    }
    applyInOrder(hub, dropMalformedItems(hub, "log_pool", item) as LogPoolPayload);
  }
  for (const item of batch.logs) {
    if (!v.is(inboundSchemas.log_other, item) || item.guild_id !== batch.guild_id) {
      badFrame(hub, "log_batch", "malformed log entry");
      continue;
    }
    applyLogOther(hub, item, JSON.stringify(item));
  }
}

function badFrame(hub: FrameTargets, event: string, why: string): void {
  hub.counters.count("badFrames");
  hub.options.log?.(`bad frame ${event.slice(0, 64)}: ${why}`);
}

/**
 * Drops the malformed entities of a pool chunk, updates of a `log_pool` and actions of an
 * `interpret_return`, one by one: each is counted (`badEntities`, `badUpdates`, `badActions`)
 * and logged; the rest of the frame goes on.
 */
function dropMalformedItems(hub: FrameTargets, event: string, payload: unknown): unknown {
  const fields: Record<string, [key: string, counter: string]> = {
    pool_response: ["data", "badEntities"],
    log_pool: ["updates", "badUpdates"],
    log_presence: ["updates", "badUpdates"],
    interpret_return: ["actions", "badActions"],
  };
  const field = fields[event];
  if (!field) return payload;
  const [key, counter] = field;
  const frame = payload as Record<string, unknown[]> & { type?: PoolType };
  const schema =
    event === "pool_response"
      ? itemSchemas.entity(frame.type as PoolType)
      : event === "log_pool"
        ? itemSchemas.update
        : event === "log_presence"
          ? itemSchemas.presence
          : itemSchemas.action;
  const { kept, dropped } = keepValid(frame[key] ?? [], schema);
  if (dropped === 0) return payload;
  for (let i = 0; i < dropped; i++) hub.counters.count(counter);
  hub.options.log?.(`${event}: dropped ${dropped} malformed item(s) of ${frame[key]?.length ?? 0}`);
  return { ...frame, [key]: kept };
}

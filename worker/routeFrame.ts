import type * as v from "valibot";
import type { LogOtherPayload, LogPoolPayload } from "../src/protocol";
import { parsePayload } from "../src/schema/parsePayload";
import { serverPayloadSchemas } from "../src/schema/serverPayloads";
import { GatewayError } from "../src/shared";
import type { Hub } from "./hub";

/**
 * Handles one frame from the gateway: validates it (a bad one is counted, logged, fails the
 * request waiting for it and changes nothing), then routes it to the pools, the spectator,
 * the log subscribers, the session or the request that waits for it.
 */
export function routeFrame(hub: Hub, event: string, raw: unknown): void {
  const { counters } = hub;
  counters.countInbound(event);
  const schema = serverPayloadSchemas[event as keyof typeof serverPayloadSchemas] as
    v.GenericSchema<unknown> | undefined;
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
  const payload = parsed.value;
  switch (event) {
    case "log_pool": {
      const e = payload as LogPoolPayload;
      if (e.guild_id !== hub.spectator.guildId) return counters.count("staleFrames");
      hub.pools.applyLogPool(e);
      hub.spectator.poolSeq(e.guild_id, e.seq);
      return;
    }
    case "log_other": {
      const e = payload as LogOtherPayload;
      // In flight while the guild changed or the session ended: nobody may see it any more.
      if (e.guild_id !== hub.spectator.guildId || !hub.spectator.includeLogs)
        return counters.count("staleFrames");
      hub.spectator.logsSeq(e.guild_id, e.seq);
      const subscribers = hub.logs.get(e.guild_id);
      // The gateway's own string goes to the tabs: no re-serialisation.
      if (subscribers) for (const deliver of subscribers.values()) deliver(raw as string);
      return;
    }
    case "session_expired":
      hub.session.expired();
      return;
    default:
      if (!hub.requests.handleFrame(event, payload))
        counters.count(event === "error" ? "gatewayErrors" : "orphanFrames");
  }
}

function badFrame(hub: Hub, event: string, why: string): void {
  hub.counters.count("badFrames");
  hub.options.log?.(`bad frame ${event.slice(0, 64)}: ${why}`);
}

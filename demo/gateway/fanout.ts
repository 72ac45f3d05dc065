import type { LogOtherPayload, LogPoolPayload } from "../../src/protocol";
import { BATCHED_ROOM } from "./batches";
import { parseTopic } from "./broker";
import { encode, guildRoom, logsRoom, presenceRoom, privateLogsRoom, type GatewayContext } from "./context";
import type { TopicEvent } from "./topicEvent";
import { viewPoolEvent } from "./redact";

type Emitter = { emit(event: string, payload: string): void };

/**
 * Forwards one broker message to the sockets that may see it: `log_pool` to the guild room
 * (filtered per socket by permissions, one encoding per distinct view), `log_other` to the
 * public or the private log room, as the exact string the producer published. Sockets that
 * asked for batched pushes get the same strings in their group's next `log_batch` instead.
 * `log_presence` goes to the presence room as it is (anyone there may see the member pool, and
 * presence is never batched).
 * `value`: the message already parsed (and checked) by a cluster node's history, else parsed here.
 */
export function fanOut(ctx: GatewayContext, topic: string, message: string, value?: TopicEvent): void {
  const { kind, guildId } = parseTopic(topic);
  if (kind === "presence") {
    (ctx.io.to(presenceRoom(guildId)) as unknown as Emitter).emit("log_presence", message);
    return;
  }
  const batched = ctx.batches.sockets() > 0;
  if (kind === "logs") {
    const entry = (value ?? JSON.parse(message)) as LogOtherPayload;
    const room = entry.action.private ? privateLogsRoom(guildId) : logsRoom(guildId);
    const to = batched ? ctx.io.to(room).except(BATCHED_ROOM) : ctx.io.to(room);
    (to as unknown as Emitter).emit("log_other", message);
    if (batched) ctx.batches.pushLog(guildId, message, entry.action.private);
    return;
  }
  const sids = ctx.io.sockets.adapter.rooms.get(guildRoom(guildId));
  if (!sids || sids.size === 0) return;
  const event = (value ?? JSON.parse(message)) as LogPoolPayload;
  if (batched) ctx.batches.pushPool(guildId, event, message, encode);
  const groups = new Map<string, { payload: string; sids: string[] }>();
  for (const sid of sids) {
    const session = ctx.sessions.get(sid);
    const view = session?.view;
    if (!view || session.batchMs > 0) continue;
    const key = `${+view.settings}${+view.privateLogs}`;
    let group = groups.get(key);
    if (!group) {
      const visible = viewPoolEvent(event, view);
      groups.set(key, (group = { payload: visible === event ? message : encode(visible), sids: [] }));
    }
    group.sids.push(sid);
  }
  for (const group of groups.values())
    (ctx.io.to(group.sids) as unknown as Emitter).emit("log_pool", group.payload);
}

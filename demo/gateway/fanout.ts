import type { LogOtherPayload, LogPoolPayload } from "../../src/protocol";
import { encode, guildRoom, logsRoom, privateLogsRoom, type GatewayContext } from "./context";
import { viewPoolEvent } from "./redact";

type Emitter = { emit(event: string, payload: string): void };

/**
 * Forwards one broker message to the sockets that may see it: `log_pool` to the guild room
 * (filtered per socket by permissions, one encoding per distinct view), `log_other` to the
 * public or the private log room, as the exact string the producer published.
 */
export function fanOut(ctx: GatewayContext, topic: string, message: string): void {
  const isLogs = topic.endsWith("_logs");
  const guildId = isLogs ? topic.slice(0, -"_logs".length) : topic;
  if (isLogs) {
    const entry = JSON.parse(message) as LogOtherPayload;
    const room = entry.action.private ? privateLogsRoom(guildId) : logsRoom(guildId);
    (ctx.io.to(room) as unknown as Emitter).emit("log_other", message);
    return;
  }
  const sids = ctx.io.sockets.adapter.rooms.get(guildRoom(guildId));
  if (!sids || sids.size === 0) return;
  const event = JSON.parse(message) as LogPoolPayload;
  const groups = new Map<string, { payload: string; sids: string[] }>();
  for (const sid of sids) {
    const view = ctx.sessions.get(sid)?.view;
    if (!view) continue;
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

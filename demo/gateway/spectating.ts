import { logsTopic, poolTopic, presenceTopic } from "./broker";
import { guildRoom, logsRoom, presenceRoom, privateLogsRoom, type GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import { canAccessGuild, guildView } from "./permissions";

/**
 * Puts the socket in exactly the rooms (and holds exactly the broker topics) of one
 * spectated guild, as its claims allow; `null` leaves every guild room. Presence (Extension 2)
 * needs only access to the guild, as its member pool does.
 * Returns whether the log rooms were joined.
 */
export function setSpectating(
  ctx: GatewayContext,
  session: SocketSession,
  guildId: string | null,
  wantsLogs: boolean,
  wantsPresence = session.wantsPresence,
): boolean {
  const { socket } = session;
  const claims = session.claims;
  const target = guildId !== null && claims && canAccessGuild(claims, guildId) ? guildId : null;
  const view = target !== null && claims ? guildView(claims, target) : null;
  const logs = view !== null && wantsLogs && view.logs;
  const presence = target !== null && wantsPresence && ctx.presence;

  const rooms = new Set<string>();
  const topics = new Set<string>();
  if (target !== null) {
    rooms.add(guildRoom(target));
    topics.add(poolTopic(target));
    if (logs) {
      rooms.add(logsRoom(target));
      topics.add(logsTopic(target));
      if (view?.privateLogs) rooms.add(privateLogsRoom(target));
    }
    if (presence) {
      rooms.add(presenceRoom(target));
      topics.add(presenceTopic(target));
    }
  }
  for (const room of [...socket.rooms]) if (room.startsWith("guild:") && !rooms.has(room)) socket.leave(room);
  for (const room of rooms) if (!socket.rooms.has(room)) void socket.join(room);
  // Subscribe to new topics before letting go of old ones, so a shared topic is never dropped.
  for (const topic of topics) if (!session.topics.has(topic)) ctx.topics.acquire(topic);
  for (const topic of [...session.topics]) if (!topics.has(topic)) ctx.topics.release(topic);
  session.topics.clear();
  for (const topic of topics) session.topics.add(topic);

  session.guildId = target;
  session.view = view;
  session.wantsLogs = target !== null && wantsLogs;
  session.wantsPresence = presence;
  ctx.batches.place(session);
  return logs;
}

/** Re-applies the spectated guild after the socket's claims changed (new token, logout, expiry). */
export function resyncSpectating(ctx: GatewayContext, session: SocketSession): void {
  setSpectating(ctx, session, session.guildId, session.wantsLogs);
}

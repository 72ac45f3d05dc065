import type { SpectatePayload } from "../../src/protocol";
import { batchFrames } from "./batches";
import { logsTopic, poolTopic } from "./broker";
import { emitRaw, encode, replyAuth, type GatewayContext, type SocketSession } from "./context";
import { RequestError, authenticate } from "./elevation";
import type { LoggedEvent } from "./eventLog";
import { canAccessGuild } from "./permissions";
import { canSeeLogEntry, viewPoolEvent } from "./redact";
import { setSpectating } from "./spectating";
import type { TopicEvent } from "./context";

/**
 * `spectate`: leaves the previous guild's rooms, joins the new guild's (logs only when asked
 * for and permitted), answers `spectate_return` and then replays what the client missed.
 */
export async function handleSpectate(
  ctx: GatewayContext,
  session: SocketSession,
  payload: SpectatePayload,
): Promise<void> {
  const claims = await authenticate(ctx, session, payload.token);
  const guildId = payload.guild_id;
  // Extension 1: echoed when in use; a gateway without it ignores the field.
  const batching = ctx.batching ? (payload.batch_ms ?? 0) : 0;
  const batchMs = batching > 0 ? { batch_ms: batching } : {};
  if (guildId === null) {
    session.batchMs = batching;
    setSpectating(ctx, session, null, false);
    replyAuth(ctx, session, "spectate_return", {
      _id: payload._id,
      success: true,
      guild_id: null,
      include_logs: false,
      pool_seq: 0,
      logs_seq: 0,
      replayed: 0,
      ...batchMs,
    });
    return;
  }
  if (!canAccessGuild(claims, guildId)) throw new RequestError(403, `not a member of guild ${guildId}`);
  if (!ctx.dataset.guilds.has(guildId)) throw new RequestError(404, `unknown guild ${guildId}`);

  session.batchMs = batching;
  const includeLogs = setSpectating(ctx, session, guildId, payload.include_logs);
  const view = session.view;
  const poolSeq = ctx.events.latest(poolTopic(guildId));
  const logsSeq = ctx.events.latest(logsTopic(guildId));

  const frames: { event: "log_pool" | "log_other"; payload: string }[] = [];
  let replayed = 0;
  const since = payload.since;
  if (since && view) {
    const poolMissed = since.pool === undefined ? [] : ctx.events.since(poolTopic(guildId), since.pool);
    const logsMissed =
      since.logs === undefined || !includeLogs ? [] : ctx.events.since(logsTopic(guildId), since.logs);
    if (poolMissed === null || logsMissed === null) replayed = -1;
    else {
      for (const event of poolMissed) frames.push({ event: "log_pool", payload: poolFrame(event, view) });
      for (const event of logsMissed)
        if (canSeeLogEntry(event.value.action, view))
          frames.push({ event: "log_other", payload: event.payload });
      replayed = frames.length;
    }
  }
  const replay = () => {
    if (session.batchMs === 0) {
      for (const frame of frames) emitRaw(session.socket, frame.event, frame.payload);
      return;
    }
    const pool = frames.filter((f) => f.event === "log_pool").map((f) => f.payload);
    const logs = frames.filter((f) => f.event === "log_other").map((f) => f.payload);
    for (const batch of batchFrames(guildId, pool, logs, ctx.limits.maxPayloadBytes))
      emitRaw(session.socket, "log_batch", batch);
  };
  // The order PROTOCOL.md pins (answer, then replay), unless told to commit the other one.
  if (ctx.faults.replayBeforeAnswer) replay();
  replyAuth(ctx, session, "spectate_return", {
    _id: payload._id,
    success: true,
    guild_id: guildId,
    include_logs: includeLogs,
    pool_seq: poolSeq,
    logs_seq: includeLogs ? logsSeq : 0,
    replayed,
    ...batchMs,
  });
  if (!ctx.faults.replayBeforeAnswer) replay();
}

function poolFrame(event: LoggedEvent<TopicEvent>, view: NonNullable<SocketSession["view"]>): string {
  const value = event.value;
  if (!("updates" in value)) return event.payload;
  const visible = viewPoolEvent(value, view);
  return visible === value ? event.payload : encode(visible);
}

import type { SpectatePayload } from "../../src/protocol";
import { batchFrames } from "./batches";
import { logsTopic, poolTopic } from "./broker";
import { emitRaw, encode, replyAuth, type GatewayContext, type SocketSession } from "./context";
import { RequestError, authenticate } from "./elevation";
import type { LoggedEvent } from "./eventLog";
import { canAccessGuild, guildView } from "./permissions";
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

  // Hold the guild's topics while history is read: the node's window of them (its `events`)
  // then keeps up, and what history lacks is in that window when the socket joins the rooms.
  const held = [
    poolTopic(guildId),
    ...(payload.include_logs && guildView(claims, guildId).logs ? [logsTopic(guildId)] : []),
  ];
  for (const topic of held) ctx.topics.acquire(topic);
  try {
    await Promise.all(held.map((topic) => ctx.topics.ready(topic)));
    const since = payload.since;
    if (since?.pool !== undefined) await ctx.history.reach(poolTopic(guildId), since.pool);
    if (since?.logs !== undefined && held.length > 1) await ctx.history.reach(logsTopic(guildId), since.logs);
    let missed: Missed = { pool: [], logs: [] };
    for (let attempt = 0; since && attempt < 3; attempt++) {
      const fetched = await fetchMissed(ctx, guildId, since, held.length > 1);
      missed = null;
      if (!fetched) break;
      // Synchronous from here to the replay: nothing new reaches the rooms in between.
      const complete = topUp(ctx, guildId, since, held.length > 1, fetched);
      if (complete) {
        missed = complete;
        break;
      }
    }
    if (!ctx.sessions.has(session.socket.id)) return;
    answer(ctx, session, payload, guildId, batching, missed);
  } finally {
    for (const topic of held) ctx.topics.release(topic);
  }
}

/** What a `since` missed of each topic, up to what the node delivered; null when too old. */
type Missed = { pool: LoggedEvent<TopicEvent>[]; logs: LoggedEvent<TopicEvent>[] } | null;

async function fetchMissed(
  ctx: GatewayContext,
  guildId: string,
  since: NonNullable<SpectatePayload["since"]>,
  logs: boolean,
): Promise<Missed> {
  const [pool, logEntries] = await Promise.all([
    since.pool === undefined ? [] : ctx.history.since(poolTopic(guildId), since.pool),
    since.logs === undefined || !logs ? [] : ctx.history.since(logsTopic(guildId), since.logs),
  ]);
  return pool && logEntries ? { pool, logs: logEntries } : null;
}

/**
 * Cuts what history returned at what the node delivered, and adds what the node delivered after
 * history was read (from its own window): also when history had nothing after `since` yet.
 * Undefined when that window no longer has it.
 */
function topUp(
  ctx: GatewayContext,
  guildId: string,
  since: NonNullable<SpectatePayload["since"]>,
  withLogs: boolean,
  fetched: NonNullable<Missed>,
): Missed | undefined {
  const pool = since.pool === undefined ? [] : topUpTopic(ctx, poolTopic(guildId), since.pool, fetched.pool);
  const logs =
    since.logs === undefined || !withLogs
      ? []
      : topUpTopic(ctx, logsTopic(guildId), since.logs, fetched.logs);
  return pool && logs ? { pool, logs } : undefined;
}

function topUpTopic(
  ctx: GatewayContext,
  topic: string,
  since: number,
  fetched: LoggedEvent<TopicEvent>[],
): LoggedEvent<TopicEvent>[] | undefined {
  const last = fetched.at(-1)?.seq ?? since;
  const latest = ctx.events.latest(topic);
  if (last >= latest) return fetched.filter((event) => event.seq <= latest);
  const rest = ctx.events.since(topic, last);
  return rest ? [...fetched, ...rest] : undefined;
}

/** Joins the rooms, answers `spectate_return` and replays, in one synchronous step. */
function answer(
  ctx: GatewayContext,
  session: SocketSession,
  payload: SpectatePayload,
  guildId: string,
  batching: number,
  missed: Missed,
): void {
  const batchMs = batching > 0 ? { batch_ms: batching } : {};
  session.batchMs = batching;
  const includeLogs = setSpectating(ctx, session, guildId, payload.include_logs);
  const view = session.view;
  const poolSeq = ctx.events.latest(poolTopic(guildId));
  const logsSeq = ctx.events.latest(logsTopic(guildId));

  const frames: { event: "log_pool" | "log_other"; payload: string }[] = [];
  let replayed = 0;
  if (payload.since && view) {
    if (missed === null) replayed = -1;
    else {
      for (const event of missed.pool) frames.push({ event: "log_pool", payload: poolFrame(event, view) });
      if (includeLogs)
        for (const event of missed.logs)
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

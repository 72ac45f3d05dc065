import type { LogPoolPayload, SpectatePayload } from "../../src/protocol";
import { batchFrames } from "./batches";
import { logsTopic, poolTopic, presenceTopic } from "./broker";
import { emitRaw, encode, replyAuth, type GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import type { TopicEvent } from "./topicEvent";
import { RequestError, authenticate } from "./elevation";
import type { LoggedEvent } from "./eventLog";
import { canAccessGuild, guildView } from "./permissions";
import { canSeeLogEntry, viewPoolEvent } from "./redact";
import { setSpectating } from "./spectating";

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
  // Extension 2: likewise; echoed (with the presence seq) by a gateway that has it.
  const presence = ctx.presence && payload.include_presence === true;
  if (guildId === null) {
    session.batchMs = batching;
    setSpectating(ctx, session, null, false, false);
    replyAuth(ctx, session, "spectate_return", {
      _id: payload._id,
      success: true,
      guild_id: null,
      include_logs: false,
      pool_seq: 0,
      logs_seq: 0,
      replayed: 0,
      ...batchMs,
      ...(presence ? { include_presence: true, presence_seq: 0 } : {}),
    });
    return;
  }
  if (!canAccessGuild(claims, guildId)) throw new RequestError(403, `not a member of guild ${guildId}`);
  if (!ctx.dataset.guilds.has(guildId)) throw new RequestError(404, `unknown guild ${guildId}`);

  // Hold the guild's topics while history is read: the node's window of them (its `events`)
  // then keeps up, and what history lacks is in that window when the socket joins the rooms.
  const logs = payload.include_logs && guildView(claims, guildId).logs;
  const since = payload.since ?? {};
  const replays: Replay[] = [
    { topic: poolTopic(guildId), since: since.pool },
    ...(logs ? [{ topic: logsTopic(guildId), since: since.logs }] : []),
    ...(presence ? [{ topic: presenceTopic(guildId), since: since.presence }] : []),
  ];
  const held = replays.map((r) => r.topic);
  for (const topic of held) ctx.topics.acquire(topic);
  try {
    await Promise.all(held.map((topic) => ctx.topics.ready(topic)));
    const asked = replays.filter((r): r is Asked => r.since !== undefined);
    await Promise.all(asked.map((r) => ctx.history.reach(r.topic, r.since)));
    let missed: Missed = [];
    for (let attempt = 0; asked.length > 0 && attempt < 3; attempt++) {
      const fetched = await fetchMissed(ctx, asked);
      missed = null;
      if (!fetched) break;
      // Synchronous from here to the replay: nothing new reaches the rooms in between.
      const complete = topUp(ctx, asked, fetched);
      if (complete) {
        missed = complete;
        break;
      }
    }
    if (!ctx.sessions.has(session.socket.id)) return;
    answer(ctx, session, payload, guildId, { batching, presence, asked: asked.length > 0 }, missed);
  } finally {
    for (const topic of held) ctx.topics.release(topic);
  }
}

/** A topic of the guild to hold, and the seq a `since` asks to replay it from. */
interface Replay {
  topic: string;
  since: number | undefined;
}

/** A topic whose replay a `since` asks for. */
type Asked = { topic: string; since: number };

/** What a `since` missed of each topic asked, up to what the node delivered; null when too old. */
type Missed = LoggedEvent<TopicEvent>[][] | null;

async function fetchMissed(ctx: GatewayContext, asked: Asked[]): Promise<Missed> {
  const fetched = await Promise.all(asked.map((r) => ctx.history.since(r.topic, r.since)));
  return fetched.every((events) => events !== null) ? (fetched as LoggedEvent<TopicEvent>[][]) : null;
}

/**
 * Cuts what history returned at what the node delivered, and adds what the node delivered after
 * history was read (from its own window): also when history had nothing after `since` yet.
 * Undefined when that window no longer has it.
 */
function topUp(
  ctx: GatewayContext,
  asked: Asked[],
  fetched: LoggedEvent<TopicEvent>[][],
): Missed | undefined {
  const out: LoggedEvent<TopicEvent>[][] = [];
  for (const [i, r] of asked.entries()) {
    const events = topUpTopic(ctx, r.topic, r.since, fetched[i] ?? []);
    if (!events) return undefined;
    out.push(events);
  }
  return out;
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
  options: { batching: number; presence: boolean; asked: boolean },
  missed: Missed,
): void {
  const { batching, presence } = options;
  const batchMs = batching > 0 ? { batch_ms: batching } : {};
  session.batchMs = batching;
  const includeLogs = setSpectating(ctx, session, guildId, payload.include_logs, presence);
  const view = session.view;
  const poolSeq = ctx.events.latest(poolTopic(guildId));
  const logsSeq = ctx.events.latest(logsTopic(guildId));

  const frames: { event: "log_pool" | "log_other" | "log_presence"; payload: string }[] = [];
  let replayed = 0;
  if (options.asked && view) {
    if (missed === null) replayed = -1;
    else {
      for (const event of missed.flat()) {
        const value = event.value;
        if ("updates" in value && "action" in value)
          frames.push({ event: "log_pool", payload: poolFrame(event, view) });
        else if ("action" in value) {
          if (includeLogs && canSeeLogEntry(value.action, view))
            frames.push({ event: "log_other", payload: event.payload });
        } else frames.push({ event: "log_presence", payload: event.payload });
      }
      replayed = frames.length;
    }
  }
  const replay = () => {
    // Presence frames are never folded into a log_batch (Extension 2).
    for (const frame of frames)
      if (session.batchMs === 0 || frame.event === "log_presence")
        emitRaw(session.socket, frame.event, frame.payload);
    if (session.batchMs === 0) return;
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
    ...(presence ? { include_presence: true, presence_seq: ctx.events.latest(presenceTopic(guildId)) } : {}),
  });
  if (!ctx.faults.replayBeforeAnswer) replay();
}

function poolFrame(event: LoggedEvent<TopicEvent>, view: NonNullable<SocketSession["view"]>): string {
  const value = event.value as LogPoolPayload;
  const visible = viewPoolEvent(value, view);
  return visible === value ? event.payload : encode(visible);
}

import type { LogPoolPayload } from "../../src/protocol";
import type { Cancel, Clock } from "./clock";
import type { GatewayServer, SocketSession } from "./socketSession";
import type { GuildView } from "./permissions";
import { viewPoolEvent } from "./redact";

/** Most entries of one array of a `log_batch` (PROTOCOL.md, Extension 1). */
export const MAX_BATCH_ENTRIES = 1000;

/** Every socket that takes `log_batch` frames is in this room too: room emits of single frames skip it. */
export const BATCHED_ROOM = "<batched>";

/**
 * Extension 1 on the gateway: sockets that asked for batched pushes are grouped by what they
 * receive (guild, batch window, what their permissions let them see, logs or not). A group
 * gathers its guild's pushes as the exact strings their single frames would carry and, at most
 * every `batch_ms`, sends them to all its sockets as `log_batch` frames (one encoding per group).
 */
export interface Batches {
  /** Puts the socket in the group of what it spectates now (or in none), after `setSpectating`. */
  place(session: SocketSession): void;
  /** A `log_other` of `guildId`: to each group that sees it (private ones need private logs). */
  pushLog(guildId: string, payload: string, isPrivate: boolean): void;
  /** A `log_pool` of `guildId`: to each group of the guild, as its permissions let it see it. */
  pushPool(
    guildId: string,
    event: LogPoolPayload,
    payload: string,
    encode: (e: LogPoolPayload) => string,
  ): void;
  /** Sockets in groups now. */
  sockets(): number;
}

interface Group {
  readonly key: string;
  readonly guildId: string;
  readonly batchMs: number;
  readonly view: GuildView;
  readonly logs: boolean;
  readonly sids: Set<string>;
  pool: string[];
  entries: string[];
  timer: Cancel | null;
}

export function createBatches(io: GatewayServer, clock: Clock, maxPayloadBytes: number): Batches {
  const groups = new Map<string, Group>();
  const byGuild = new Map<string, Set<Group>>();
  const groupOf = new Map<string, Group>();

  const flush = (group: Group) => {
    group.timer?.();
    group.timer = null;
    if (group.pool.length === 0 && group.entries.length === 0) return;
    const frames = batchFrames(group.guildId, group.pool, group.entries, maxPayloadBytes);
    group.pool = [];
    group.entries = [];
    if (group.sids.size === 0) return;
    const to = io.to([...group.sids]) as unknown as { emit(event: string, payload: string): void };
    for (const frame of frames) to.emit("log_batch", frame);
  };
  const schedule = (group: Group) => {
    group.timer ??= clock.setTimeout(() => flush(group), group.batchMs);
  };
  const leave = (sid: string) => {
    const group = groupOf.get(sid);
    if (!group) return;
    // What it gathered so far goes to its sockets, this one included.
    flush(group);
    group.sids.delete(sid);
    groupOf.delete(sid);
    if (group.sids.size > 0) return;
    groups.delete(group.key);
    byGuild.get(group.guildId)?.delete(group);
    if (byGuild.get(group.guildId)?.size === 0) byGuild.delete(group.guildId);
  };

  return {
    place(session) {
      const sid = session.socket.id;
      const { guildId, view } = session;
      const batched = session.batchMs > 0 && guildId !== null && view !== null && session.socket.connected;
      const logs = session.wantsLogs && view !== null && view.logs;
      const key = batched
        ? `${guildId}|${session.batchMs}|${+view.settings}${+view.privateLogs}|${+logs}`
        : null;
      if (groupOf.get(sid)?.key === key && key !== null) return;
      leave(sid);
      if (key === null || guildId === null || view === null) {
        void session.socket.leave(BATCHED_ROOM);
        return;
      }
      let group = groups.get(key);
      if (!group) {
        group = {
          key,
          guildId,
          batchMs: session.batchMs,
          view,
          logs,
          sids: new Set(),
          pool: [],
          entries: [],
          timer: null,
        };
        groups.set(key, group);
        let guild = byGuild.get(guildId);
        if (!guild) byGuild.set(guildId, (guild = new Set()));
        guild.add(group);
      }
      // What the group gathered before this socket joined is not this socket's (it spectated after).
      flush(group);
      group.sids.add(sid);
      groupOf.set(sid, group);
      void session.socket.join(BATCHED_ROOM);
    },
    pushLog(guildId, payload, isPrivate) {
      for (const group of byGuild.get(guildId) ?? []) {
        if (!group.logs || (isPrivate && !group.view.privateLogs)) continue;
        group.entries.push(payload);
        schedule(group);
      }
    },
    pushPool(guildId, event, payload, encode) {
      const views = new Map<string, string>();
      for (const group of byGuild.get(guildId) ?? []) {
        const viewKey = `${+group.view.settings}${+group.view.privateLogs}`;
        let visible = views.get(viewKey);
        if (visible === undefined) {
          const seen = viewPoolEvent(event, group.view);
          views.set(viewKey, (visible = seen === event ? payload : encode(seen)));
        }
        group.pool.push(visible);
        schedule(group);
      }
    },
    sockets: () => groupOf.size,
  };
}

/**
 * `log_batch` frames of one guild's gathered pushes (each a single frame's exact payload), in
 * seq order: at most {@link MAX_BATCH_ENTRIES} per array and, where entries allow, within
 * `maxBytes` (an entry larger than that on its own goes alone, as its single frame would).
 */
export function batchFrames(guildId: string, pool: string[], logs: string[], maxBytes: number): string[] {
  const head = `{"guild_id":${JSON.stringify(guildId)},"pool":[`;
  const frames: string[] = [];
  let p = 0;
  let l = 0;
  while (p < pool.length || l < logs.length) {
    let bytes = head.length + '],"logs":[]}'.length;
    let entries = 0;
    // The first entry of a frame always goes in: a frame is never empty, and the loop ends.
    const take = (list: string[], from: number): number => {
      let to = from;
      while (to < list.length && to - from < MAX_BATCH_ENTRIES) {
        const size = Buffer.byteLength(list[to]!) + 1;
        if (entries > 0 && bytes + size > maxBytes) break;
        bytes += size;
        entries++;
        to++;
      }
      return to;
    };
    const poolTo = take(pool, p);
    const logsTo = take(logs, l);
    frames.push(`${head}${pool.slice(p, poolTo).join(",")}],"logs":[${logs.slice(l, logsTo).join(",")}]}`);
    p = poolTo;
    l = logsTo;
  }
  return frames;
}

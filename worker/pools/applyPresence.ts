import type { Entity, LogPresencePayload, Member, PoolUpdate } from "../../src/protocol";
import type { PoolStore } from "./poolStore";

/**
 * Presence (PROTOCOL.md Extension 2) in the worker's member pools. Each member pool knows the
 * presence seq its statuses reflect (`presenceSeq`); frames above it apply to it in order. The
 * online view holds exactly the members online: a member going offline leaves it, one coming
 * online enters it (with the frame's `member`, or the entity another member pool of the guild
 * holds, or else fetched by id).
 */
export interface GuildMembers {
  /** Every pool of the guild's members: whole, by id, and the online view. */
  stores: PoolStore[];
  /** Fetches members by id into the online view (batched; offline ones are not kept). */
  fetchOnline(store: PoolStore, ids: string[]): void;
}

const isOnline = (status: string | undefined) => status !== undefined && status !== "offline";

/** Applies one presence frame of the guild (taken in seq order) to every member pool of it. */
export function applyPresenceFrame(guild: GuildMembers, frame: LogPresencePayload): void {
  for (const store of guild.stores) {
    // The online view's snapshot is streaming in: the frame applies on top once it is in.
    if (store.presenceBuffer) {
      store.presenceBuffer.push(frame);
      continue;
    }
    applyTo(store, guild, frame);
  }
}

/** Applies a frame to one member pool (above its seq only): also the frames an online view kept aside. */
export function applyTo(store: PoolStore, guild: GuildMembers, frame: LogPresencePayload): void {
  const known = store.presenceSeq;
  if (known !== null && frame.seq <= known) return;
  const upsert: Entity[] = [];
  const remove: string[] = [];
  const fetch: string[] = [];
  for (const update of frame.updates) {
    const held = store.entities.get(update.id) as Member | undefined;
    if (store.view === null) {
      if (held && held.status !== update.status) upsert.push({ ...held, status: update.status });
      continue;
    }
    if (!isOnline(update.status)) {
      if (held) remove.push(update.id);
      continue;
    }
    // Its entity: the frame's, or another pool's of the guild.
    const member =
      update.member ??
      (guild.stores.find((s) => s.entities.has(update.id))?.entities.get(update.id) as Member);
    if (member) upsert.push({ ...member, status: update.status });
    else fetch.push(update.id);
  }
  // Statuses of unknown age stay unknown until fetched again; the entities still change.
  if (known !== null) store.presenceSeq = frame.seq;
  if (upsert.length > 0 || remove.length > 0) store.dispatch({ type: "presence", upsert, remove });
  if (fetch.length > 0) guild.fetchOnline(store, fetch);
}

/**
 * A pushed member change (`log_pool`) as a member pool takes it: an edit keeps the status the
 * pool holds when its statuses follow presence frames (the frames own it; the edit's copy may be
 * older), and the online view takes in only members online.
 */
export function memberUpdateFor(store: PoolStore, update: PoolUpdate): PoolUpdate | null {
  if (update.op === "remove" || !update.entity) return update;
  const held = store.entities.get(update.id) as Member | undefined;
  const entity = update.entity as Member;
  const status = held && store.presenceSeq !== null ? held.status : entity.status;
  if (store.view === "online") {
    if (!held && !isOnline(status)) return null;
    if (!isOnline(status)) return { ...update, op: "remove", entity: undefined } as PoolUpdate;
  }
  return status === entity.status ? update : { ...update, entity: { ...entity, status } };
}

import {
  AGNOSTIC_POOL_TYPES,
  Permission,
  type Entity,
  type Guild,
  type GuildPoolType,
  type Member,
  type PoolAllRequestPayload,
  type PoolResponsePayload,
  type PoolRequestPayload,
  type PoolSearchRequestPayload,
  type PoolType,
  type TokenClaims,
} from "../../src/protocol";
import { replyAuth, type GatewayContext } from "./context";
import type { SocketSession } from "./socketSession";
import type { GuildRecord } from "./dataset/Dataset";
import { withStatus } from "./dataset/guildPresence";
import { searchMembers } from "./dataset/searchMembers";
import { RequestError, authenticate } from "./elevation";
import { canAccessGuild, guildPermissions, hasPermission } from "./permissions";

const DEFAULT_SEARCH_LIMIT = 20;

const isAgnostic = (type: PoolType) => (AGNOSTIC_POOL_TYPES as readonly string[]).includes(type);

/** `pool_all_request`: the whole pool, streamed in chunks with `total`. */
export async function handlePoolAll(
  ctx: GatewayContext,
  session: SocketSession,
  payload: PoolAllRequestPayload,
): Promise<void> {
  const claims = await authenticate(ctx, session, payload.token);
  if (payload.type === "guild") {
    const guilds = Object.keys(claims.guilds).flatMap((id) => visibleGuild(ctx, claims, id) ?? []);
    void stream(ctx, session, payload, guilds);
    return;
  }
  // Access and existence first: a refused request costs no catch-up.
  const pool = guildPool(ctx, claims, payload.type as GuildPoolType, payload.guild_id);
  const members = payload.type === "member";
  await ctx.history.beforeGuildRead(payload.guild_id, { members });
  const record = members && ctx.presence ? ctx.dataset.guilds.get(payload.guild_id ?? "") : undefined;
  if (!record) return void stream(ctx, session, payload, [...pool.values()]);
  if (payload.filter === "online") {
    // Extension 2: the members online now, as the guild's presence seq says (later frames apply on top).
    const online: Entity[] = [];
    for (const [id, status] of record.presence.online()) {
      const member = record.pools.member.get(id);
      if (member) online.push({ ...member, status });
    }
    const presenceSeq = ctx.history.presenceSeq(record.id);
    return void stream(ctx, session, payload, online, { filter: "online", presence_seq: presenceSeq });
  }
  // Statuses as they are when each chunk goes: presence frames sent before it are in it.
  const presence = record.presence;
  void stream(ctx, session, payload, [...pool.values()], {}, (chunk) =>
    chunk.map((m) => withStatus(m as Member, presence)),
  );
}

/** `pool_request`: entities by id; unknown (or not visible) ids come back in `nonexistent`. */
export async function handlePoolRequest(
  ctx: GatewayContext,
  session: SocketSession,
  payload: PoolRequestPayload,
): Promise<void> {
  if (payload.ids.length > ctx.limits.maxIdsPerRequest)
    throw new RequestError(413, `at most ${ctx.limits.maxIdsPerRequest} ids per pool_request`);
  const claims = await authenticate(ctx, session, payload.token);
  const lookup = lookupFor(ctx, claims, payload.type, payload.guild_id);
  if (!isAgnostic(payload.type))
    await ctx.history.beforeGuildRead(payload.guild_id, { members: payload.type === "member" });
  const data: Entity[] = [];
  const nonexistent: string[] = [];
  for (const id of new Set(payload.ids)) {
    const entity = lookup(id);
    if (entity) data.push(entity);
    else nonexistent.push(id);
  }
  replyAuth(ctx, session, "pool_response", {
    _id: payload._id,
    type: payload.type,
    ...(payload.guild_id !== undefined ? { guild_id: payload.guild_id } : {}),
    data,
    nonexistent,
    finished: true,
  });
}

/** `pool_search_request`: fuzzy member search, best first. */
export async function handlePoolSearch(
  ctx: GatewayContext,
  session: SocketSession,
  payload: PoolSearchRequestPayload,
): Promise<void> {
  const claims = await authenticate(ctx, session, payload.token);
  const record = guildRecord(ctx, claims, payload.guild_id);
  await ctx.history.beforeGuildRead(payload.guild_id, { members: true });
  const found = searchMembers(
    record.pools.member.values(),
    payload.query,
    payload.limit ?? DEFAULT_SEARCH_LIMIT,
  );
  const data = ctx.presence ? found.map((m) => withStatus(m, record.presence)) : found;
  replyAuth(ctx, session, "pool_response", {
    _id: payload._id,
    type: "member",
    guild_id: payload.guild_id,
    data,
    nonexistent: [],
    finished: true,
    total: data.length,
  });
}

function guildRecord(ctx: GatewayContext, claims: TokenClaims, guildId: string | undefined): GuildRecord {
  if (guildId === undefined) throw new RequestError(400, "guild_id is required");
  if (!canAccessGuild(claims, guildId)) throw new RequestError(403, `not a member of guild ${guildId}`);
  const record = ctx.dataset.guilds.get(guildId);
  if (!record) throw new RequestError(404, `unknown guild ${guildId}`);
  return record;
}

function guildPool(
  ctx: GatewayContext,
  claims: TokenClaims,
  type: GuildPoolType,
  guildId: string | undefined,
): ReadonlyMap<string, Entity> {
  const record = guildRecord(ctx, claims, guildId);
  if (
    type === "settingValue" &&
    !hasPermission(guildPermissions(claims, record.id), Permission.VIEW_SETTINGS)
  )
    throw new RequestError(403, "VIEW_SETTINGS is needed for settingValue");
  return record.pools[type];
}

function lookupFor(
  ctx: GatewayContext,
  claims: TokenClaims,
  type: PoolType,
  guildId: string | undefined,
): (id: string) => Entity | undefined {
  if (type === "guild")
    return (id) => (Object.hasOwn(claims.guilds, id) ? visibleGuild(ctx, claims, id) : undefined);
  if (type === "user") return (id) => ctx.dataset.users.get(id);
  const pool = guildPool(ctx, claims, type, guildId);
  const presence =
    ctx.presence && type === "member" ? ctx.dataset.guilds.get(guildId ?? "")?.presence : undefined;
  if (presence)
    return (id) => {
      const member = pool.get(id) as Member | undefined;
      return member && withStatus(member, presence);
    };
  return (id) => pool.get(id);
}

/** A guild as its requesting user sees it (their permissions), if the gateway knows it. */
function visibleGuild(ctx: GatewayContext, claims: TokenClaims, guildId: string): Guild | undefined {
  const record = ctx.dataset.guilds.get(guildId);
  if (!record) return undefined;
  const permissions = guildPermissions(claims, guildId);
  return {
    id: record.id,
    name: record.name,
    icon: record.icon,
    owner: record.owner_id === claims.sub,
    has_architus: true,
    architus_admin: hasPermission(permissions, Permission.ADMINISTRATOR),
    permissions,
    member_count: record.pools.member.size,
  };
}

/**
 * Streams a whole pool in chunks of `chunkSize`, each frame with `total` and `extra` (Extension 2's
 * `filter` and `presence_seq`); `prepare` finishes a chunk's entities as it goes.
 */
async function stream(
  ctx: GatewayContext,
  session: SocketSession,
  request: PoolAllRequestPayload,
  entities: Entity[],
  extra: Pick<PoolResponsePayload, "filter" | "presence_seq"> = {},
  prepare: (chunk: Entity[]) => Entity[] = (chunk) => chunk,
): Promise<void> {
  const total = entities.length;
  const size = ctx.limits.chunkSize;
  for (let start = 0; start === 0 || start < total; start += size) {
    if (start > 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      // The socket left or logged out meanwhile: the rest would reach nobody.
      if (!ctx.sessions.has(session.socket.id) || !session.claims) return;
    }
    replyAuth(ctx, session, "pool_response", {
      _id: request._id,
      type: request.type,
      ...(request.guild_id !== undefined ? { guild_id: request.guild_id } : {}),
      data: prepare(entities.slice(start, start + size)),
      nonexistent: [],
      finished: start + size >= total,
      total,
      ...extra,
    });
  }
}

import type { IncomingMessage, ServerResponse } from "node:http";
import * as v from "valibot";
import { snowflake } from "../../src/schema";
import type { Activity } from "./activity";
import type { Auth } from "./auth";
import { sendBadFrames } from "./badFrames";
import { dropSockets, type GatewayContext } from "./context";
import { signDemoToken } from "./signDemoToken";

/** The `GET /stats` document. */
export interface GatewayStats {
  sockets: number;
  elevated: number;
  rooms: Record<string, number>;
  topics: string[];
  requests: Record<string, number>;
  errors: Record<string, number>;
  activity_rate: number;
  presence_rate: number;
}

const tokenBody = v.object({
  user_id: snowflake,
  ttl_s: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(7 * 86400)), 3600),
});
export const activityBody = v.object({
  guild_id: snowflake,
  kind: v.picklist(["message", "private_message", "pool_update", "presence"]),
  count: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(100_000)),
});
const perSecond = v.pipe(v.number(), v.minValue(0), v.maxValue(1_000_000));
/** `events_per_second`, `presence_per_second` (optionally in `guild_id` only), or both. */
export const rateBody = v.pipe(
  v.object({
    events_per_second: v.optional(perSecond),
    presence_per_second: v.optional(perSecond),
    guild_id: v.optional(snowflake),
  }),
  v.check(
    (b) => b.events_per_second !== undefined || b.presence_per_second !== undefined,
    "give events_per_second, presence_per_second or both",
  ),
  v.check(
    (b) => b.guild_id === undefined || b.presence_per_second !== undefined,
    "guild_id goes with presence_per_second",
  ),
);

/** Applies a `POST /dev/rate` body to an activity (the gateway's, a producer's). */
export function applyRate(activity: Activity, body: unknown) {
  const { events_per_second, presence_per_second, guild_id } = parse(rateBody, body);
  if (events_per_second !== undefined) activity.setRate(events_per_second);
  if (presence_per_second !== undefined) {
    try {
      activity.setPresenceRate(presence_per_second, guild_id ?? null);
    } catch {
      throw new HttpError(404, `unknown guild ${guild_id}`);
    }
  }
  return {
    ...(events_per_second !== undefined ? { events_per_second } : {}),
    ...(presence_per_second !== undefined ? { presence_per_second, ...(guild_id ? { guild_id } : {}) } : {}),
  };
}
const faultBody = v.variant("kind", [
  v.object({ kind: v.literal("drop_sockets") }),
  v.object({ kind: v.literal("replay_before_answer"), on: v.boolean() }),
  v.object({
    kind: v.literal("bad_frames"),
    per_event: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)),
    guild_id: snowflake,
    other_guild_id: snowflake,
  }),
]);
const MAX_BODY = 16 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function statsOf(
  ctx: GatewayContext,
  activity: Activity,
  extra: () => Record<string, unknown> = () => ({}),
): GatewayStats {
  const rooms: Record<string, number> = {};
  for (const [room, sids] of ctx.io.sockets.adapter.rooms) rooms[room] = sids.size;
  let elevated = 0;
  for (const session of ctx.sessions.values()) if (session.claims) elevated++;
  return {
    sockets: ctx.sessions.size,
    elevated,
    rooms,
    topics: ctx.topics.topics(),
    ...ctx.stats.snapshot(),
    activity_rate: activity.rate(),
    presence_rate: activity.presenceRate(),
    ...extra(),
  };
}

/**
 * HTTP endpoints beside the socket: `GET /stats`, and unless `production`, the dev
 * endpoints `GET /dev/dataset`, `POST /dev/token`, `POST /dev/activity`, `POST /dev/rate`, `POST /dev/fault`.
 */
export function createHttpHandler(deps: {
  ctx: GatewayContext;
  auth: Auth;
  activity: Activity;
  production: boolean;
  statsExtra?: () => Record<string, unknown>;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { ctx, auth, activity } = deps;
  const routes: Routes = {
    "GET /stats": () => statsOf(ctx, activity, deps.statsExtra),
  };
  if (!deps.production) {
    Object.assign(routes, {
      "GET /dev/dataset": () => ({
        users: ctx.dataset.demoUsers.map((u) => ({ id: u.id, name: u.name, guilds: u.guilds })),
        guilds: [...ctx.dataset.guilds.values()].map((g) => ({
          id: g.id,
          name: g.name,
          member_count: g.pools.member.size,
        })),
      }),
      "POST /dev/token": async (body: unknown) => {
        const { user_id, ttl_s } = parse(tokenBody, body);
        const user = ctx.dataset.demoUsers.find((u) => u.id === user_id);
        if (!user) throw new HttpError(404, `unknown demo user ${user_id}`);
        return { token: await signDemoToken(auth, user, ttl_s) };
      },
      "POST /dev/activity": async (body: unknown) => {
        const { guild_id, kind, count } = parse(activityBody, body);
        if (!ctx.dataset.guilds.has(guild_id)) throw new HttpError(404, `unknown guild ${guild_id}`);
        return { published: await activity.publish(guild_id, kind, count) };
      },
      "POST /dev/fault": (body: unknown) => {
        const fault = parse(faultBody, body);
        if (fault.kind === "drop_sockets") return { dropped: dropSockets(ctx) };
        if (fault.kind === "bad_frames")
          return {
            sent: sendBadFrames(ctx, {
              perEvent: fault.per_event,
              guildId: fault.guild_id,
              otherGuildId: fault.other_guild_id,
            }),
          };
        ctx.faults.replayBeforeAnswer = fault.on;
        return { replay_before_answer: fault.on };
      },
      "POST /dev/rate": (body: unknown) => applyRate(activity, body),
    });
  }

  return serveRoutes(routes);
}

/** HTTP routes by `"METHOD /path"`: JSON bodies in and out, CORS open, `HttpError` → its status. */
export type Routes = Record<string, (body: unknown) => unknown>;

export function serveRoutes(routes: Routes): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Socket.IO's own requests (long polling): its server answers them.
    if (req.url?.startsWith("/socket.io/")) return;
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "content-type");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    if (req.method === "OPTIONS") {
      res.writeHead(204).end();
      return;
    }
    const path = (req.url ?? "/").split("?")[0];
    const route = routes[`${req.method} ${path}`];
    if (!route) {
      send(res, 404, { error: `no route ${req.method} ${path}` });
      return;
    }
    readBody(req)
      .then((body) => route(body))
      .then((result) => send(res, 200, result))
      .catch((error: unknown) => {
        if (error instanceof HttpError) send(res, error.status, { error: error.message });
        else {
          console.error("gateway: http route failed", error);
          send(res, 500, { error: "gateway fault" });
        }
      });
  };
}

export function parse<T>(schema: v.GenericSchema<unknown, T>, body: unknown): T {
  const result = v.safeParse(schema, body);
  if (!result.success) throw new HttpError(400, v.summarize(result.issues));
  return result.output;
}

export function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (req.method !== "POST") {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, "body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch {
        reject(new HttpError(400, "body is not valid JSON"));
      }
    });
    req.on("error", reject);
  });
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { createActivity, type Activity } from "./activity";
import { createAuth, type Auth } from "./auth";
import { createInProcessBroker, type Broker } from "./broker";
import { systemClock, type Clock } from "./clock";
import type { GatewayContext, GatewayFaults, GatewayLimits } from "./context";
import type { GatewayServer, SocketSession } from "./socketSession";
import type { TopicEvent } from "./topicEvent";
import { generateDataset } from "./dataset/generateDataset";
import { createRandom } from "./dataset/random";
import { createEventLog, type EventLog } from "./eventLog";
import type { Dataset } from "./dataset/Dataset";
import { createLocalHistory, type NodeHistory } from "./history";
import { createBatches } from "./batches";
import { fanOut } from "./fanout";
import { createHttpHandler, statsOf, type GatewayStats } from "./httpRoutes";
import { createRateLimiter } from "./rateLimiter";
import { route } from "./router";
import { gatewayHandlers } from "./gatewayHandlers";
import { dropElevation } from "./elevation";
import { createStats } from "./stats";
import { createTopicSubscriptions } from "./topicSubscriptions";

/** Secret used when none is configured (development only). */
export const DEV_SECRET = "architus-dev-secret-do-not-use-in-production";
/** Fixed "now" of the generated dataset, so a seed always yields the same data. */
export const DATASET_EPOCH = Date.UTC(2026, 0, 1);

export interface GatewayOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** HS256 secret; default env GATEWAY_JWT_SECRET, else {@link DEV_SECRET} (refused with `production`). */
  secret?: string;
  /** Seed of the generated dataset and activity. Default 1. */
  seed?: number;
  /** Members of the biggest guild. Default 50,000. */
  bigGuildMembers?: number;
  /** More small guilds for benchmarks (see `generateDataset`); default 0. */
  extraGuilds?: number;
  /** Background activity, events per second (0 = off, the default). */
  rate?: number;
  /** Background presence changes per second over all guilds (0 = off, the default). */
  presenceRate?: number;
  /** Turns the dev endpoints off. */
  production?: boolean;
  clock?: Clock;
  broker?: Broker;
  limits?: Partial<GatewayLimits>;
  /** Receives warnings (default console.warn). */
  warn?: (message: string) => void;
  /** Faults to commit from the start (see `GatewayFaults`); `POST /dev/fault` changes them. */
  faults?: Partial<GatewayFaults>;
  /**
   * Extension 1 (batched pushes, PROTOCOL.md): on by default; `false` is a gateway without it,
   * which ignores `batch_ms` and sends single frames only.
   */
  batching?: boolean;
  /**
   * Extension 2 (presence and the online member view, PROTOCOL.md): on by default; `false` is a
   * gateway without it, which ignores `include_presence` and `filter` and sends no `status`.
   */
  presence?: boolean;
  /**
   * Cluster node: how it delivers and replays topics (default: it shares the producer's log, in
   * process). With it, give `activity` too, since the node's own would number events locally.
   */
  history?: (deps: { events: EventLog<TopicEvent>; dataset: Dataset }) => NodeHistory;
  /** The producer's controls behind the dev endpoints (default: an in-process producer). */
  activity?: Activity;
  /** More fields of `GET /stats` (a cluster node's broker bindings). */
  statsExtra?: () => Record<string, unknown>;
  /** Transports it accepts (default both; `["polling"]` stands in for a proxy that blocks WebSocket). */
  transports?: ("polling" | "websocket")[];
}

export interface Gateway {
  /** `http://host:port` */
  url: string;
  port: number;
  stats(): GatewayStats;
  auth: Auth;
  activity: Activity;
  context: GatewayContext;
  stop(): Promise<void>;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  maxPayloadBytes: 64 * 1024,
  maxIdsPerRequest: 1000,
  requestsPerSecond: 200,
  chunkSize: 1000,
};

/** Starts a reference gateway implementing shared/PROTOCOL.md. */
export async function createGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const clock = options.clock ?? systemClock;
  let secret = options.secret ?? process.env.GATEWAY_JWT_SECRET;
  if (!secret) {
    if (options.production) throw new Error("GATEWAY_JWT_SECRET must be set in production");
    warn("gateway: GATEWAY_JWT_SECRET is not set; using the development secret");
    secret = DEV_SECRET;
  }
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const seed = options.seed ?? 1;
  const dataset = generateDataset({
    seed,
    now: DATASET_EPOCH,
    ...(options.bigGuildMembers !== undefined ? { bigGuildMembers: options.bigGuildMembers } : {}),
    ...(options.extraGuilds ? { extraGuilds: options.extraGuilds } : {}),
  });
  const broker = options.broker ?? createInProcessBroker();
  const auth = createAuth(secret, clock);
  const http = createServer();
  // Frames up to twice the payload cap reach the gateway, so oversized payloads get a 413
  // instead of a dropped connection; bigger frames are cut off by the transport.
  const io: GatewayServer = new Server(http, {
    maxHttpBufferSize: limits.maxPayloadBytes * 2,
    cors: { origin: true },
    serveClient: false,
    ...(options.transports ? { transports: options.transports } : {}),
  });
  const onError = (error: unknown) => console.error("gateway: broker failure", error);
  const sessions = new Map<string, SocketSession>();
  const events = createEventLog<TopicEvent>(1000);
  const history = options.history?.({ events, dataset }) ?? createLocalHistory(events);
  const ctx: GatewayContext = {
    io,
    auth,
    clock,
    dataset,
    events,
    history,
    topics: createTopicSubscriptions(
      broker,
      (topic, message) => history.receive(topic, message, (m, value) => fanOut(ctx, topic, m, value)),
      onError,
      history,
    ),
    stats: createStats(),
    limits,
    sessions,
    faults: { replayBeforeAnswer: options.faults?.replayBeforeAnswer ?? false },
    batching: options.batching ?? true,
    presence: options.presence ?? true,
    batches: createBatches(io, clock, limits.maxPayloadBytes),
  };
  const activity =
    options.activity ??
    createActivity({
      dataset,
      events: ctx.events,
      broker,
      clock,
      random: createRandom(seed ^ 0x5eed),
      onError,
      maxPayloadBytes: limits.maxPayloadBytes,
      presence: options.presence ?? true,
    });

  io.on("connection", (socket) => {
    const session: SocketSession = {
      socket,
      claims: null,
      cancelExpiry: null,
      guildId: null,
      view: null,
      wantsLogs: false,
      wantsPresence: false,
      batchMs: 0,
      topics: new Set(),
      limiter: createRateLimiter(limits.requestsPerSecond, clock),
      queue: Promise.resolve(),
    };
    sessions.set(socket.id, session);
    socket.onAny((event: string, ...args: unknown[]) => route(ctx, session, gatewayHandlers, event, args));
    socket.on("disconnect", () => {
      dropElevation(ctx, session);
      sessions.delete(socket.id);
    });
  });

  const statsExtra = options.statsExtra;
  http.on(
    "request",
    createHttpHandler({
      ctx,
      auth,
      activity,
      production: options.production ?? false,
      ...(statsExtra ? { statsExtra } : {}),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = http.address() as AddressInfo;
  if (options.rate) activity.setRate(options.rate);
  if (options.presenceRate) activity.setPresenceRate(options.presenceRate);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    stats: () => statsOf(ctx, activity, statsExtra),
    auth,
    activity,
    context: ctx,
    async stop() {
      activity.stop();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await ctx.topics.close();
      await broker.close();
    },
  };
}

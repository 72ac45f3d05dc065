import { BehaviorSubject, Observable, ReplaySubject, share } from "rxjs";
import type { GatewayClient } from "../../client/connectGateway";
import { createPoolAccumulator, type PoolSnapshot } from "../../client/poolSnapshot";
import { poolDelta } from "../../client/test/poolDelta";
import type { Entity, PoolType } from "../../protocol/entities";
import { GatewayError } from "../../shared/GatewayError";
import type {
  ConnectionState,
  LogBatch,
  LogEntry,
  PoolDelta,
  SessionState,
  SpectatingState,
} from "../../shared/tabProtocol";

/** One fake stream: a shared observable (one-value replay, like the client's) that counts subscriptions. */
export interface FakeStream<T> {
  /** Client-side subscriptions ever made to it. */
  opened: number;
  /** Client-side subscriptions alive now. */
  active: number;
  observable: Observable<T>;
  emit(value: T): void;
  fail(error: unknown): void;
}

function fakeStream<T>(): FakeStream<T> {
  let emit: (value: T) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const stream: FakeStream<T> = {
    opened: 0,
    active: 0,
    observable: new Observable<T>((subscriber) => {
      stream.opened += 1;
      stream.active += 1;
      emit = (value) => subscriber.next(value);
      fail = (error) => subscriber.error(error);
      return () => {
        stream.active -= 1;
      };
    }).pipe(share({ connector: () => new ReplaySubject<T>(1), resetOnRefCountZero: true })),
    emit: (value) => emit(value),
    fail: (error) => fail(error),
  };
  return stream;
}

/** A pool stream fed with worker deltas through the client's own accumulator. */
export interface FakePoolStream extends FakeStream<PoolSnapshot<Entity>> {
  /** Sends a delta (defaults: no reset, nothing changed, `ready` from the network). */
  push(delta: Partial<PoolDelta>): void;
}

/** A test channel entity. */
export const channel = (id: string, name = `channel-${id}`): Entity =>
  ({ id, name, position: Number(id), type: "text" }) as unknown as Entity;

/** A log entry of seq `seq`. */
export const logEntry = (seq: number): LogEntry => ({
  seq,
  action: { id: String(seq), action_number: 3001 } as unknown as LogEntry["action"],
});

/** An authenticated session of `userId`. */
export const authenticated = (userId: string): SessionState => ({
  status: "authenticated",
  userId,
  permissions: 0,
  guilds: {},
  admin: false,
  expiresAt: 4_000_000_000_000,
});

/** A JWT-shaped token (unsigned) whose payload's `sub` is `userId`. */
export const tokenFor = (userId: string, secret = "s3cr3t-signature-part"): string =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: userId, exp: 4_000_000_000 })).toString("base64url")}.${secret}`;

/**
 * A GatewayClient made of RxJS subjects that records every call. Pool streams are keyed
 * `type|guild|all`, `type|guild|online` or `type|guild|ids:a,b`; log streams by guild.
 */
export function fakeClient() {
  const calls: { method: string; args: unknown[] }[] = [];
  const connection = new BehaviorSubject<ConnectionState>({
    status: "connected",
    url: "http://gateway.test",
    socketId: "socket-1",
    lastError: null,
    transport: "websocket",
    retryAt: null,
  });
  const session = new BehaviorSubject<SessionState>({ status: "anonymous" });
  const spectating = new BehaviorSubject<SpectatingState>({
    guildId: null,
    includeLogs: false,
    pending: false,
    mine: false,
    wanted: null,
  });
  const pools = new Map<string, FakePoolStream>();
  const logs = new Map<string, FakeStream<LogBatch>>();
  /** What the next calls answer (each may be replaced by a test). */
  const answers = {
    login: async (token: string): Promise<SessionState> => {
      const sub = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
        sub: string;
      };
      session.next(authenticated(sub.sub));
      return authenticated(sub.sub);
    },
    logout: async (): Promise<void> => session.next({ status: "anonymous" }),
    spectate: async (guildId: string | null): Promise<SpectatingState> => ({
      guildId,
      includeLogs: true,
      pending: false,
      mine: true,
      wanted: guildId,
    }),
    interpret: async () => ({ guild_id: 1, actions: [] }),
  };
  const poolStream = (key: string, order: readonly string[] | null): FakePoolStream => {
    let stream = pools.get(key);
    if (!stream) {
      const base = fakeStream<PoolSnapshot<Entity>>();
      const accumulate = createPoolAccumulator<PoolType>(order);
      stream = Object.assign(base, {
        push: (delta: Partial<PoolDelta>) => base.emit(accumulate(poolDelta(delta)) as PoolSnapshot<Entity>),
      });
      pools.set(key, stream);
    }
    return stream;
  };
  const record =
    <A extends unknown[], R>(method: string, run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls.push({ method, args });
      return run(...args);
    };
  const client = {
    ready: new Promise(() => {}),
    connection$: connection,
    session$: session,
    spectating$: spectating,
    diagnostics$: new Observable(),
    login: record("login", (token: string) => answers.login(token)),
    logout: record("logout", () => answers.logout()),
    spectate: record("spectate", (guildId: string | null) => answers.spectate(guildId)),
    interpret: record("interpret", () => answers.interpret()),
    setTokenRefresher: record("setTokenRefresher", async () => {}),
    clearCache: record("clearCache", async () => {}),
    close: record("close", async () => {}),
    pool: (type: PoolType, options?: { guildId?: string }) => {
      calls.push({ method: "pool", args: [type, options] });
      const base = `${type}|${options?.guildId ?? ""}`;
      return {
        all$: () => poolStream(`${base}|all`, null).observable,
        online$: () => {
          if (type !== "member")
            throw new GatewayError("bad_input", "online$ works on a guild's member pool");
          return poolStream(`${base}|online`, null).observable;
        },
        entities$: (ids: readonly string[]) => poolStream(`${base}|ids:${ids.join(",")}`, ids).observable,
        entity$: () => new Observable(),
        search$: () => new Observable(),
      };
    },
    logs$: (guildId: string) => {
      let stream = logs.get(guildId);
      if (!stream) logs.set(guildId, (stream = fakeStream<LogBatch>()));
      return stream.observable;
    },
  } as unknown as GatewayClient;
  return {
    client,
    calls,
    answers,
    connection,
    session,
    spectating,
    /** The pool stream of `key` (made on first use, also before the binding subscribes). */
    pool: (key: string, order: readonly string[] | null = null) => poolStream(key, order),
    /** The logs stream of a guild. */
    logs: (guildId: string) => {
      client.logs$(guildId);
      return logs.get(guildId) as FakeStream<LogBatch>;
    },
    /** Client subscriptions alive now, over every pool and log stream. */
    activeStreams: () => [...pools.values(), ...logs.values()].reduce((n, s) => n + s.active, 0),
  };
}

/** A batch of log entries, with a gap when given. */
export const logBatch = (seqs: number[], gap?: LogBatch["gap"]): LogBatch =>
  Object.assign(seqs.map(logEntry), gap ? { gap } : {});

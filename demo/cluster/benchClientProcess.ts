import { io } from "socket.io-client";
import { zipfGuild } from "./benchGuilds";
import { connectLean, type LeanClient } from "./leanClient";

/**
 * A child process of `npm run bench:cluster` holding a share of the bench's clients. The parent
 * sends one command at a time over IPC and waits for its answer; latencies are kept as a
 * histogram of whole ms, so collecting them costs the same at any delivery rate.
 */
export type ClientKind = "lean" | "socketio";

export type BenchChildCommand =
  | {
      type: "connect";
      kind: ClientKind;
      /** Client i connects to `urls[i % urls.length]`. */
      urls: string[];
      token: string;
      guilds: string[];
      /** Clients `from` (inclusive) to `to` of `count` in all. */
      from: number;
      to: number;
      count: number;
    }
  | { type: "reset" }
  | { type: "collect" }
  | { type: "close" };

export type BenchChildAnswer =
  | { type: "connected" }
  | { type: "failed"; message: string }
  | { type: "reset" }
  | {
      type: "collected";
      /** [latency ms, entries] pairs since the last reset. */
      histogram: [number, number][];
      /** Entries whose seq was not above the client's previous one. */
      duplicates: number;
      bad: number;
      /** CPU this process used since the last reset. */
      cpu_ms: number;
    };

const CONNECT_CONCURRENCY = 50;

let histogram = new Map<number, number>();
let duplicates = 0;
let bad = 0;
let cpuAtReset = process.cpuUsage();
const closers: (() => void)[] = [];

const answer = (message: BenchChildAnswer) => process.send?.(message);

function record(lastSeq: { value: number }, seq: number, timestamp: number) {
  if (seq <= lastSeq.value) duplicates++;
  else lastSeq.value = seq;
  const ms = Date.now() - timestamp;
  histogram.set(ms, (histogram.get(ms) ?? 0) + 1);
}

function connectOne(kind: ClientKind, url: string, token: string, guildId: string): Promise<void> {
  const lastSeq = { value: 0 };
  if (kind === "lean")
    return connectLean({
      url,
      token,
      guildId,
      onEntry: (seq, timestamp) => record(lastSeq, seq, timestamp),
      onBadEntry: () => bad++,
    }).then((client: LeanClient) => void closers.push(() => client.close()));
  const socket = io(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  closers.push(() => socket.close());
  socket.on("log_other", (raw: string) => {
    try {
      const entry = JSON.parse(raw) as { seq: number; action: { timestamp: number } };
      record(lastSeq, entry.seq, entry.action.timestamp);
    } catch {
      bad++;
    }
  });
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no spectate_return from ${url} in time`)), 30_000);
    socket.once("connect_error", (error) => reject(error));
    socket.once("spectate_return", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once("request_elevation_return", () =>
      socket.emit("spectate", JSON.stringify({ _id: 2, token, guild_id: guildId, include_logs: true })),
    );
    socket.on("connect", () => socket.emit("request_elevation", JSON.stringify({ _id: 1, token })));
  });
}

async function connectAll(command: Extract<BenchChildCommand, { type: "connect" }>) {
  let next = command.from;
  const worker = async () => {
    while (next < command.to) {
      const i = next++;
      const url = command.urls[i % command.urls.length];
      if (url === undefined) throw new RangeError("no urls");
      await connectOne(command.kind, url, command.token, zipfGuild(command.guilds, i, command.count));
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
}

process.on("message", (command: BenchChildCommand) => {
  if (command.type === "connect") {
    connectAll(command).then(
      () => answer({ type: "connected" }),
      (error: unknown) =>
        answer({ type: "failed", message: error instanceof Error ? error.message : String(error) }),
    );
  } else if (command.type === "reset") {
    histogram = new Map();
    duplicates = 0;
    bad = 0;
    cpuAtReset = process.cpuUsage();
    answer({ type: "reset" });
  } else if (command.type === "collect") {
    const cpu = process.cpuUsage(cpuAtReset);
    answer({
      type: "collected",
      histogram: [...histogram],
      duplicates,
      bad,
      cpu_ms: (cpu.user + cpu.system) / 1000,
    });
  } else {
    for (const close of closers.splice(0)) close();
    process.disconnect();
  }
});
// The parent is gone (even SIGKILLed): nothing left to measure for.
process.on("disconnect", () => process.exit(0));

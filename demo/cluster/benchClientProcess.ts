import { io } from "socket.io-client";
import { zipfGuild } from "./benchGuilds";
import { connectLean } from "./leanClient";

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
  | { type: "connected"; clients: number }
  | { type: "failed"; message: string }
  | { type: "reset" }
  | {
      type: "collected";
      /** [latency ms, entries] pairs since the last reset. */
      histogram: [number, number][];
      /** Entries whose seq was not above the client's previous one. */
      duplicates: number;
      bad: number;
      /** Clients whose socket closed after they spectated (they receive nothing more), ever. */
      closed: number;
      /** CPU this process used since the last reset. */
      cpu_ms: number;
    };

/** Over IPC, each command and its answer carry the parent's request id. */
export type Numbered<T> = T & { id: number };

/*
 * A child process of `npm run bench:cluster` holding a share of the bench's clients. The parent
 * sends commands over IPC; latencies are kept as a histogram of whole ms, so collecting them
 * costs the same at any delivery rate.
 */
const CONNECT_CONCURRENCY = 50;

let histogram = new Map<number, number>();
let duplicates = 0;
let bad = 0;
let closed = 0;
let cpuAtReset = process.cpuUsage();
const closers: (() => void)[] = [];

function record(lastSeq: { value: number }, seq: number, timestamp: number) {
  if (seq <= lastSeq.value) duplicates++;
  else lastSeq.value = seq;
  const ms = Date.now() - timestamp;
  histogram.set(ms, (histogram.get(ms) ?? 0) + 1);
}

async function connectOne(kind: ClientKind, url: string, token: string, guildId: string): Promise<void> {
  const lastSeq = { value: 0 };
  if (kind === "lean") {
    const client = await connectLean({
      url,
      token,
      guildId,
      onEntry: (seq, timestamp) => record(lastSeq, seq, timestamp),
      onBadEntry: () => bad++,
      onClose: () => closed++,
    });
    closers.push(() => client.close());
    return;
  }
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
  await new Promise<void>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      socket.close();
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`no spectate_return from ${url} in time`), 30_000);
    socket.once("connect_error", (error) => fail(error.message));
    socket.once("error", (raw: string) => fail(`gateway error: ${raw}`));
    socket.once("spectate_return", (raw: string) => {
      const ret = JSON.parse(raw) as { success: boolean; include_logs: boolean };
      if (!ret.success || !ret.include_logs) return fail(`spectate refused: ${raw}`);
      clearTimeout(timer);
      socket.once("disconnect", () => closed++);
      resolve();
    });
    socket.once("request_elevation_return", (raw: string) => {
      if (!(JSON.parse(raw) as { success: boolean }).success) return fail("elevation refused");
      socket.emit("spectate", JSON.stringify({ _id: 2, token, guild_id: guildId, include_logs: true }));
    });
    socket.on("connect", () => socket.emit("request_elevation", JSON.stringify({ _id: 1, token })));
  });
}

/** Connects clients `from`..`to`, 50 at a time; the first failure stops the rest. */
async function connectAll(command: Extract<BenchChildCommand, { type: "connect" }>): Promise<number> {
  let next = command.from;
  let failed = false;
  const worker = async () => {
    while (next < command.to && !failed) {
      const i = next++;
      const url = command.urls[i % command.urls.length];
      if (url === undefined) throw new RangeError("no urls");
      try {
        await connectOne(command.kind, url, command.token, zipfGuild(command.guilds, i, command.count));
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return command.to - command.from;
}

const answer = (id: number, message: BenchChildAnswer) => process.send?.({ ...message, id });

process.on("message", ({ id, ...command }: Numbered<BenchChildCommand>) => {
  if (command.type === "connect") {
    connectAll(command).then(
      (clients) => answer(id, { type: "connected", clients }),
      (error: unknown) =>
        answer(id, { type: "failed", message: error instanceof Error ? error.message : String(error) }),
    );
  } else if (command.type === "reset") {
    histogram = new Map();
    duplicates = bad = 0; // `closed` stays: a closed client receives nothing in later steps either
    cpuAtReset = process.cpuUsage();
    answer(id, { type: "reset" });
  } else if (command.type === "collect") {
    const cpu = process.cpuUsage(cpuAtReset);
    const cpu_ms = (cpu.user + cpu.system) / 1000;
    answer(id, { type: "collected", histogram: [...histogram], duplicates, bad, closed, cpu_ms });
  } else {
    for (const close of closers.splice(0)) close();
    process.disconnect();
  }
});
// The parent is gone (even SIGKILLed): nothing left to measure for.
process.on("disconnect", () => process.exit(0));

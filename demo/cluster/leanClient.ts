import WebSocket from "ws";

export type LeanClientErrorCode = "timeout" | "refused" | "closed" | "frame";

/** Why a lean bench client could not reach the spectating state, or lost it (`onClose`). */
export class LeanClientError extends Error {
  constructor(
    readonly code: LeanClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "LeanClientError";
  }
}

export interface LeanClientOptions {
  /** The gateway (or balancer) http URL. */
  url: string;
  token: string;
  guildId: string;
  /** Each `log_other`: its seq and its action's timestamp, read without parsing the payload. */
  onEntry(seq: number, timestamp: number): void;
  /** A `log_other` whose seq or timestamp could not be read. */
  onBadEntry?(frame: string): void;
  /** After the connect resolved: the socket closed or broke the protocol; nothing more arrives. */
  onClose?(error: LeanClientError): void;
  /** Rejects the connect after this long (default 30 s). */
  timeoutMs?: number;
}

export interface LeanClient {
  close(): void;
}

const LOG_OTHER = '42["log_other","';

/** The integer after `key` (an escaped JSON key inside the payload string), or NaN. */
function readInt(frame: string, key: string): number {
  const at = frame.indexOf(key);
  if (at === -1) return NaN;
  let value = 0;
  let i = at + key.length;
  const start = i;
  for (let c = frame.charCodeAt(i); c >= 48 && c <= 57; c = frame.charCodeAt(++i))
    value = value * 10 + c - 48;
  return i === start ? NaN : value;
}

/**
 * The entry's seq and timestamp from a raw `log_other` frame (payload keys are escaped): the
 * first `seq` and the first `timestamp` key, which are the payload's own and its action's as
 * the producer writes them (`{guild_id, seq, action: {id, action_number, timestamp, …}}`).
 * A frame without them reads NaN.
 */
export function readLogOther(frame: string): { seq: number; timestamp: number } {
  return { seq: readInt(frame, '\\"seq\\":'), timestamp: readInt(frame, '\\"timestamp\\":') };
}

/**
 * A socket.io client for benchmarks that speaks the wire directly (engine.io v4 over one
 * WebSocket, socket.io v5 packets): it connects, elevates with `token`, spectates `guildId`
 * with logs and then reads only seq and timestamp of each `log_other`, so one process can
 * hold thousands of spectators without the receive cost of socket.io-client.
 */
export function connectLean(options: LeanClientOptions): Promise<LeanClient> {
  const base = new URL(options.url);
  base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
  base.pathname = "/socket.io/";
  base.search = "?EIO=4&transport=websocket";
  const ws = new WebSocket(base, { perMessageDeflate: false });
  /** Closed by us or failed: nothing more is reported. */
  let closed = false;
  const client: LeanClient = {
    close: () => {
      closed = true;
      ws.close();
    },
  };
  const emit = (event: string, payload: unknown) =>
    ws.send(`42${JSON.stringify([event, JSON.stringify(payload)])}`);

  return new Promise<LeanClient>((resolve, reject) => {
    let settled = false;
    const fail = (error: LeanClientError) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      ws.terminate();
      if (settled) options.onClose?.(error);
      else reject(error);
    };
    const timer = setTimeout(
      () => fail(new LeanClientError("timeout", `no spectate_return from ${options.url} in time`)),
      options.timeoutMs ?? 30_000,
    );
    ws.on("error", (error) => fail(new LeanClientError("closed", error.message)));
    ws.on("close", () => fail(new LeanClientError("closed", `${options.url} closed the socket`)));
    ws.on("message", (data, isBinary) => {
      if (isBinary) return fail(new LeanClientError("frame", "binary frame"));
      const frame = data.toString();
      if (frame.startsWith(LOG_OTHER)) {
        const { seq, timestamp } = readLogOther(frame);
        if (Number.isNaN(seq) || Number.isNaN(timestamp)) options.onBadEntry?.(frame);
        else options.onEntry(seq, timestamp);
        return;
      }
      if (frame === "2") return ws.send("3");
      if (frame.startsWith("0")) return ws.send("40");
      if (frame.startsWith("44")) return fail(new LeanClientError("refused", `connect refused: ${frame}`));
      if (frame === "41") return fail(new LeanClientError("closed", "the gateway disconnected the socket"));
      if (frame.startsWith("40")) return emit("request_elevation", { _id: 1, token: options.token });
      if (!frame.startsWith("42")) return;
      let event: unknown;
      let payload: unknown;
      try {
        [event, payload] = JSON.parse(frame.slice(2)) as [unknown, unknown];
        if (typeof payload === "string") payload = JSON.parse(payload);
      } catch {
        return fail(new LeanClientError("frame", `unreadable frame ${frame.slice(0, 80)}`));
      }
      const ok = (payload as { success?: unknown } | null)?.success !== false;
      if (event === "request_elevation_return") {
        if (!ok) return fail(new LeanClientError("refused", "elevation refused"));
        emit("spectate", { _id: 2, token: options.token, guild_id: options.guildId, include_logs: true });
      } else if (event === "spectate_return") {
        if (!ok || (payload as { include_logs?: unknown }).include_logs !== true)
          return fail(new LeanClientError("refused", `spectate refused: ${JSON.stringify(payload)}`));
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(client);
      } else if (event === "error" && !settled) {
        fail(new LeanClientError("refused", `gateway error: ${JSON.stringify(payload)}`));
      }
    });
  });
}

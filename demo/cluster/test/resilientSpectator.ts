import { io, type Socket } from "socket.io-client";
import type { LogOtherPayload, LogPoolPayload, SpectateReturnPayload } from "../../../src/protocol";

/**
 * A Node client that behaves as the worker does across failovers: it reconnects (through the
 * balancer), re-elevates and spectates again with `since` its latest seqs. It keeps every log seq
 * it received, duplicates included, and how long each reconnection took.
 */
export class ResilientSpectator {
  readonly socket: Socket;
  /** Every `log_other` seq, in arrival order (a duplicate appears twice). */
  readonly logs: number[] = [];
  /** ms from a disconnect to the `spectate_return` on the next connection. */
  readonly reconnectMs: number[] = [];
  /** `spectate_return`s answering `replayed: -1` (a gap history could not fill). */
  gaps = 0;
  /** `logs_seq` of the first `spectate_return`: the client owes nothing before it. */
  firstLogsSeq: number | null = null;
  private lastLogs = 0;
  private lastPool = 0;
  private disconnectedAt: number | null = null;
  private nextId = 1;
  private waiters: (() => void)[] = [];

  constructor(
    url: string,
    private readonly token: string,
    private readonly guildId: string,
  ) {
    this.socket = io(url, {
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
    });
    const on = (event: string, handler: (payload: never) => void) =>
      this.socket.on(event, (raw: string) => handler(JSON.parse(raw) as never));
    this.socket.on("connect", () => this.send("request_elevation", { token: this.token }));
    this.socket.on("disconnect", () => {
      this.disconnectedAt ??= Date.now();
    });
    on("request_elevation_return", () => {
      const since = this.firstLogsSeq === null ? {} : { since: { pool: this.lastPool, logs: this.lastLogs } };
      this.send("spectate", { token: this.token, guild_id: this.guildId, include_logs: true, ...since });
    });
    on("spectate_return", (ret: SpectateReturnPayload) => {
      if (ret.replayed === -1) this.gaps++;
      if (this.firstLogsSeq === null) {
        this.firstLogsSeq = ret.logs_seq;
        this.lastLogs = ret.logs_seq;
        this.lastPool = ret.pool_seq;
      }
      if (this.disconnectedAt !== null) this.reconnectMs.push(Date.now() - this.disconnectedAt);
      this.disconnectedAt = null;
      this.wake();
    });
    on("log_other", (entry: LogOtherPayload) => {
      this.logs.push(entry.seq);
      this.lastLogs = Math.max(this.lastLogs, entry.seq);
      this.wake();
    });
    on("log_pool", (event: LogPoolPayload) => {
      this.lastPool = Math.max(this.lastPool, event.seq);
    });
  }

  private send(event: string, payload: object): void {
    this.socket.emit(event, JSON.stringify({ ...payload, _id: this.nextId++ }));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once `done()` holds, re-checked at every answer and entry; rejects after `timeoutMs`. */
  until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for the spectator")), timeoutMs);
      const check = () => {
        if (!done()) return void this.waiters.push(check);
        clearTimeout(timer);
        resolve();
      };
      check();
    });
  }

  /** Seqs after the first answer up to `latest` that never arrived. */
  missing(latest: number): number[] {
    const got = new Set(this.logs);
    const missing: number[] = [];
    for (let seq = (this.firstLogsSeq ?? 0) + 1; seq <= latest; seq++) if (!got.has(seq)) missing.push(seq);
    return missing;
  }

  duplicates(): number {
    return this.logs.length - new Set(this.logs).size;
  }

  close(): void {
    this.socket.close();
  }
}

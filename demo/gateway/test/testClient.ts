import { io, type ManagerOptions, type Socket } from "socket.io-client";
import * as v from "valibot";
import type {
  ClientPayloads,
  ErrorPayload,
  ServerPayloads,
  ServerToClientEvents,
  ClientToServerEvents,
} from "../../../src/protocol";

import { serverPayloadSchemas } from "../../../src/schema";

export interface Frame {
  event: string;
  raw: unknown;
  payload: unknown;
}

type Waiter = { match: (f: Frame) => boolean; resolve: (f: Frame) => void };

/** A Node socket.io-client that records every frame and answers by `_id`. */
export class TestClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly frames: Frame[] = [];
  /** Frames that break the protocol (unknown event or a payload its schema refuses). */
  readonly violations: string[] = [];
  private waiters: Waiter[] = [];
  private nextId = 1;

  /** `transports`: socket.io's option (default WebSocket only; engine.io's `Fetch` long-polls). */
  constructor(url: string, transports: NonNullable<ManagerOptions["transports"]> = ["websocket"]) {
    this.socket = io(url, { transports, forceNew: true, reconnection: false });
    this.socket.onAny((event: string, raw: unknown) => {
      let payload: unknown = raw;
      if (typeof raw === "string")
        try {
          payload = JSON.parse(raw);
        } catch {
          /* keep raw */
        }
      const frame = { event, raw, payload };
      this.check(frame);
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
  }

  private check(frame: Frame): void {
    const schema = Object.hasOwn(serverPayloadSchemas, frame.event)
      ? serverPayloadSchemas[frame.event as keyof typeof serverPayloadSchemas]
      : undefined;
    if (typeof frame.raw !== "string") this.violations.push(`${frame.event}: payload is not a string`);
    else if (!schema) this.violations.push(`unknown event ${frame.event}`);
    else {
      const result = v.safeParse(schema, frame.payload);
      if (!result.success)
        this.violations.push(`${frame.event}: ${result.issues[0].message} ${frame.raw.slice(0, 200)}`);
    }
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("connect_error", reject);
    });
  }

  id(): number {
    return this.nextId++;
  }

  /** Emits any event with any arguments, bypassing the types (for malformed input). */
  emitRaw(event: string, ...args: unknown[]): void {
    (this.socket as unknown as { emit(e: string, ...a: unknown[]): void }).emit(event, ...args);
  }

  send<E extends keyof ClientPayloads>(event: E, payload: ClientPayloads[E]): void {
    this.emitRaw(event, JSON.stringify(payload));
  }

  /** The next frame matching `match` (already received frames after `from` count). */
  waitFor(match: (f: Frame) => boolean, from = 0, timeoutMs = 10_000): Promise<Frame> {
    const seen = this.frames.slice(from).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a frame")), timeoutMs);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Sends a request and resolves with the first frame echoing its `_id` (response or error). */
  async request<E extends keyof ClientPayloads>(
    event: E,
    payload: Omit<ClientPayloads[E], "_id">,
  ): Promise<Frame> {
    const _id = this.id();
    const from = this.frames.length;
    this.send(event, { ...payload, _id } as ClientPayloads[E]);
    return this.waitFor((f) => (f.payload as { _id?: number } | null)?._id === _id, from);
  }

  /** Like {@link request} but expects `returns` and gives its payload. */
  async ask<E extends keyof ClientPayloads, R extends keyof ServerPayloads>(
    event: E,
    payload: Omit<ClientPayloads[E], "_id">,
    returns: R,
  ): Promise<ServerPayloads[R]> {
    const frame = await this.request(event, payload);
    if (frame.event !== returns)
      throw new Error(`expected ${returns}, got ${frame.event}: ${JSON.stringify(frame.payload)}`);
    return frame.payload as ServerPayloads[R];
  }

  /** Sends a request expected to fail, and gives the error payload. */
  async fails<E extends keyof ClientPayloads>(
    event: E,
    payload: Omit<ClientPayloads[E], "_id">,
  ): Promise<ErrorPayload> {
    const _id = this.id();
    const from = this.frames.length;
    this.send(event, { ...payload, _id } as ClientPayloads[E]);
    const frame = await this.waitFor(
      (f) => f.event === "error" && (f.payload as ErrorPayload)._id === _id,
      from,
    );
    return frame.payload as ErrorPayload;
  }

  of<E extends keyof ServerPayloads>(event: E, from = 0): ServerPayloads[E][] {
    return this.frames
      .slice(from)
      .filter((f) => f.event === event)
      .map((f) => f.payload as ServerPayloads[E]);
  }

  close(): void {
    this.socket.close();
  }
}

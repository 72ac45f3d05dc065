import { io, type Socket } from "socket.io-client";
import type { ClientPayloads, ServerEventName } from "../../src/protocol";
import {
  systemClock,
  type Cancel,
  type Clock,
  type ConnectionState,
  type ReconnectSettings,
  type Transition,
  TRANSITIONS_KEPT,
} from "../../src/shared";

export const DEFAULT_RECONNECT: ReconnectSettings = { firstDelayMs: 1000, maxDelayMs: 30_000 };

/** Opens a socket.io-client socket (injected, so tests can change transports). */
export type SocketFactory = (url: string, reconnect: ReconnectSettings) => Socket;

/**
 * Exponential backoff with full jitter: socket.io draws attempt n's delay uniformly within
 * base·2ⁿ ± base·2ⁿ (randomizationFactor 1), so with base = firstDelayMs / 2 the first attempt
 * lands anywhere in [0, firstDelayMs] and later ones in [0, firstDelayMs·2ⁿ], capped: after a
 * gateway restart, thousands of workers do not come back in the same instant.
 */
export const defaultSocketFactory: SocketFactory = (url, reconnect) =>
  io(url, {
    transports: ["websocket", "polling"],
    // Where WebSocket fails (a proxy that blocks it), fall back to long polling.
    tryAllTransports: true,
    // WebSocket comes first, and polling after it only in its place: no upgrade is ever offered.
    upgrade: false,
    reconnectionDelay: reconnect.firstDelayMs / 2,
    randomizationFactor: 1,
    reconnectionDelayMax: reconnect.maxDelayMs,
    // Our own queue decides what to (re)send after an outage, not socket.io's send buffer.
    autoConnect: true,
  });

export interface GatewayLinkEvents {
  /** Every inbound frame, as the raw argument the server sent. */
  frame(event: string, raw: unknown): void;
  status(state: ConnectionState): void;
}

/**
 * The one Socket.IO connection: emits JSON strings, never while disconnected (nothing goes
 * into socket.io's send buffer to be replayed stale), and reports frames and status.
 */
export interface GatewayLink {
  readonly state: ConnectionState;
  /** The last status changes (at most `TRANSITIONS_KEPT`), oldest first. */
  readonly transitions: Transition[];
  connect(url: string, reconnect?: ReconnectSettings): void;
  /** Emits when connected; false (nothing sent) otherwise. */
  emit<E extends keyof ClientPayloads>(event: E, payload: ClientPayloads[E]): boolean;
  close(): void;
  /** Closes the transport as a network failure would: socket.io reconnects (devtools). */
  drop(): void;
}

/**
 * `timers` schedules our own retries where socket.io gives up: a connection the server's
 * middleware refused (`connect_error` with the socket inactive) is final in socket.io, and would
 * leave the worker offline until every tab closed.
 */
export function createGatewayLink(
  factory: SocketFactory,
  events: GatewayLinkEvents,
  timers: Clock = systemClock,
): GatewayLink {
  let socket: Socket | null = null;
  let retry: Cancel | null = null;
  let refusals = 0;
  let state: ConnectionState = {
    status: "idle",
    url: null,
    socketId: null,
    lastError: null,
    transport: null,
    retryAt: null,
  };
  const transitions: Transition[] = [];
  const set = (next: Partial<ConnectionState>) => {
    const { status } = state;
    state = { ...state, ...next };
    if (state.status !== status) {
      transitions.push({ at: timers.now(), status: state.status, reason: state.lastError });
      if (transitions.length > TRANSITIONS_KEPT) transitions.shift();
    }
    events.status(state);
  };
  /** Retrying: when the next attempt starts. */
  const retryIn = (delay: number) => set({ retryAt: timers.now() + delay });

  return {
    get state() {
      return state;
    },
    transitions,
    connect(url, reconnect = DEFAULT_RECONNECT) {
      if (socket) return;
      set({ status: "connecting", url, socketId: null, lastError: null });
      const s = factory(url, reconnect);
      socket = s;
      // socket.io draws each reconnection's delay from its backoff, and tells nobody: shown as `retryAt`.
      const backoff = s.io["backoff"];
      const draw = backoff.duration.bind(backoff);
      backoff.duration = () => {
        const delay = draw();
        retryIn(delay);
        return delay;
      };
      s.on("connect", () => {
        refusals = 0;
        set({
          status: "connected",
          socketId: s.id ?? null,
          lastError: null,
          transport: s.io.engine.transport.name,
          retryAt: null,
        });
      });
      s.on("disconnect", (reason) => {
        // A server-side disconnect is final in socket.io: reconnect ourselves.
        if (reason === "io server disconnect") s.connect();
        set({
          status: socket === s ? "reconnecting" : "disconnected",
          socketId: null,
          lastError: reason,
          transport: null,
        });
      });
      s.on("connect_error", (error) => {
        if (!s.active && socket === s) {
          // Refused by the server's middleware: socket.io stops; retry with the same backoff.
          const ceiling = Math.min(reconnect.maxDelayMs, reconnect.firstDelayMs * 2 ** refusals++);
          const delay = Math.random() * ceiling;
          retry?.();
          retry = timers.setTimeout(() => {
            retry = null;
            if (socket === s) s.connect();
          }, delay);
          retryIn(delay);
        }
        set({ status: socket === s ? "reconnecting" : "disconnected", lastError: error.message });
      });
      s.onAny((event: string, raw: unknown) => events.frame(event as ServerEventName, raw));
    },
    emit(event, payload) {
      if (!socket?.connected) return false;
      socket.emit(event, JSON.stringify(payload));
      return true;
    },
    close() {
      const s = socket;
      socket = null;
      retry?.();
      retry = null;
      refusals = 0;
      if (!s) return;
      s.removeAllListeners();
      s.offAny();
      s.close();
      set({ status: "idle", socketId: null, transport: null, retryAt: null });
    },
    drop() {
      // (Not connected: nothing to drop.)
      socket?.io.engine?.transport?.close();
    },
  };
}

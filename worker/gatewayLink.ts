import { io, type Socket } from "socket.io-client";
import type { ClientPayloads, ServerEventName } from "../src/protocol";
import type { ConnectionState } from "../src/shared";

/** Opens a socket.io-client socket (injected, so tests can change transports). */
export type SocketFactory = (url: string) => Socket;

export const defaultSocketFactory: SocketFactory = (url) =>
  io(url, {
    transports: ["websocket", "polling"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
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
  connect(url: string): void;
  /** Emits when connected; false (nothing sent) otherwise. */
  emit<E extends keyof ClientPayloads>(event: E, payload: ClientPayloads[E]): boolean;
  close(): void;
}

export function createGatewayLink(factory: SocketFactory, events: GatewayLinkEvents): GatewayLink {
  let socket: Socket | null = null;
  let state: ConnectionState = { status: "idle", url: null, socketId: null, lastError: null };
  const set = (next: Partial<ConnectionState>) => {
    state = { ...state, ...next };
    events.status(state);
  };

  return {
    get state() {
      return state;
    },
    connect(url) {
      if (socket) return;
      set({ status: "connecting", url, socketId: null, lastError: null });
      const s = factory(url);
      socket = s;
      s.on("connect", () => set({ status: "connected", socketId: s.id ?? null, lastError: null }));
      s.on("disconnect", (reason) => {
        // A server-side disconnect is final in socket.io: reconnect ourselves.
        if (reason === "io server disconnect") s.connect();
        set({ status: socket === s ? "reconnecting" : "disconnected", socketId: null, lastError: reason });
      });
      s.on("connect_error", (error) => {
        set({ status: s.active ? "reconnecting" : "disconnected", lastError: error.message });
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
      if (!s) return;
      s.removeAllListeners();
      s.offAny();
      s.close();
      set({ status: "idle", socketId: null });
    },
  };
}

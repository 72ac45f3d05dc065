/**
 * A page that speaks the wire protocol to a gateway with socket.io-client directly,
 * for tests of the gateway from a real browser. Exposes `window.socketPage`.
 */
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../src/protocol";

export interface SocketPage {
  connect(url: string): Promise<string>;
  send(event: string, payload: object): void;
  frames: { event: string; payload: unknown }[];
  close(): void;
}

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
const page: SocketPage = {
  frames: [],
  connect(url) {
    socket = io(url, { transports: ["websocket"], reconnection: false });
    socket.onAny((event: string, raw: string) => page.frames.push({ event, payload: JSON.parse(raw) }));
    return new Promise((resolve, reject) => {
      socket?.once("connect", () => resolve(socket?.id ?? ""));
      socket?.once("connect_error", reject);
    });
  },
  send(event, payload) {
    (socket as unknown as { emit(e: string, p: string): void }).emit(event, JSON.stringify(payload));
  },
  close() {
    socket?.close();
  },
};
(window as unknown as { socketPage: SocketPage }).socketPage = page;

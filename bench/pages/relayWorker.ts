/// <reference lib="webworker" />
/**
 * A bare SharedWorker with a socket of its own: it relays each page message to the gateway as is
 * and each answer back as the gateway's own string. No checks, no Comlink, no session: the floor of
 * a round trip for any design that puts the socket in a SharedWorker.
 */
import { io, type Socket } from "socket.io-client";

const scope = self as unknown as SharedWorkerGlobalScope;
scope.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (!port) return;
  let socket: Socket | null = null;
  port.onmessage = (m: MessageEvent<{ gateway: string } | { event: string; body: string }>) => {
    const data = m.data;
    if ("gateway" in data) {
      socket = io(data.gateway, { transports: ["websocket"] });
      socket.on("connect", () => port.postMessage({ connected: true }));
      socket.onAny((name: string, raw: string) => {
        if (name !== "log_other") port.postMessage(raw);
      });
      return;
    }
    socket?.emit(data.event, data.body);
  };
  port.start();
};

export {};

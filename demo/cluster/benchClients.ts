import { io, type Socket } from "socket.io-client";
import type { LogOtherPayload } from "../../src/protocol";

/** Guild of client `i` of `count`: Zipf-like popularity (the k-th guild has weight 1/k). */
export function zipfGuild(guilds: readonly string[], i: number, count: number): string {
  const weights = guilds.map((_, k) => 1 / (k + 1));
  let roll = ((i + 0.5) / count) * weights.reduce((a, b) => a + b, 0);
  const index = weights.findIndex((w) => (roll -= w) < 0);
  const guild = guilds[index === -1 ? guilds.length - 1 : index];
  if (guild === undefined) throw new RangeError("no guilds");
  return guild;
}

export interface BenchClients {
  /** Delivery latencies (ms from the entry's timestamp at the producer) since the last `reset`. */
  latencies: number[];
  reset(): void;
  close(): void;
}

/**
 * `count` Node socket.io clients on `url` (WebSocket), elevated with `token`, each spectating
 * its guild with logs; resolves once all of them have their `spectate_return`.
 */
export async function connectClients(
  url: string,
  token: string,
  guilds: readonly string[],
  count: number,
): Promise<BenchClients> {
  let latencies: number[] = [];
  const sockets: Socket[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const socket = io(url, { transports: ["websocket"], forceNew: true });
      sockets.push(socket);
      socket.on("log_other", (raw: string) => {
        latencies.push(Date.now() - (JSON.parse(raw) as LogOtherPayload).action.timestamp);
      });
      const guildId = zipfGuild(guilds, i, count);
      return new Promise<void>((resolve) => {
        socket.once("spectate_return", () => resolve());
        socket.once("request_elevation_return", () =>
          socket.emit("spectate", JSON.stringify({ _id: 2, token, guild_id: guildId, include_logs: true })),
        );
        socket.on("connect", () => socket.emit("request_elevation", JSON.stringify({ _id: 1, token })));
      });
    }),
  );
  return {
    get latencies() {
      return latencies;
    },
    reset() {
      latencies = [];
    },
    close() {
      for (const socket of sockets) socket.close();
    },
  };
}

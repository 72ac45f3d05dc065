/** Bench tab with its own socket (the old way): `window.bench` is driven over CDP by bench/run.ts. */
import { io } from "socket.io-client";
import { Recorder, roundTrips } from "./recorder";

const params = new URLSearchParams(location.search);
const socket = io(params.get("gateway") ?? "", { transports: ["websocket"] });
const recorder = new Recorder();
let nextId = 1;
const waiting = new Map<number, (payload: unknown) => void>();

socket.onAny((event: string, raw: string) => {
  if (event === "log_other") {
    const e = JSON.parse(raw) as { seq: number; action: { timestamp: number } };
    recorder.record(e.seq, e.action.timestamp);
    return;
  }
  const payload = JSON.parse(raw) as { _id?: number };
  if (payload._id !== undefined) waiting.get(payload._id)?.(payload);
});

function request(event: string, body: object): Promise<unknown> {
  const _id = nextId++;
  return new Promise((resolve) => {
    waiting.set(_id, (p) => {
      waiting.delete(_id);
      resolve(p);
    });
    socket.emit(event, JSON.stringify({ ...body, _id }));
  });
}

let messageId = 0;
const bench = {
  ready: () =>
    new Promise<string>((resolve) =>
      socket.connected ? resolve(socket.id ?? "") : socket.once("connect", () => resolve(socket.id ?? "")),
    ),
  async login(token: string, guildId: string) {
    await request("request_elevation", { token });
    await request("spectate", { token, guild_id: guildId, include_logs: false });
    (bench as { token?: string }).token = token;
  },
  async subscribeLogs(guildId: string) {
    await request("spectate", {
      token: (bench as { token?: string }).token,
      guild_id: guildId,
      include_logs: true,
    });
  },
  start: () => recorder.start(),
  stop: () => recorder.stop(),
  rtt: (n: number) =>
    roundTrips(n, () =>
      request("interpret", { guild_id: "1", message_id: String((messageId += 2)), content: "!ping" }),
    ),
};
(window as unknown as { bench: typeof bench }).bench = bench;

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io, type ManagerOptions } from "socket.io-client";
import { describe, expect, it } from "vitest";
// The parser it stands in for in the worker build (vite.config.ts).
import * as real from "socket.io-parser";
import * as textOnly from "./textOnlyParser";
import { Decoder, Encoder, PacketType, protocol, type Packet } from "./textOnlyParser";

/** What a decoder makes of one string: the packet, or the error thrown. */
function decoded(
  decoder: { add(s: string): void; on(e: string, f: (p: unknown) => void): unknown },
  wire: string,
) {
  let packet: unknown = "nothing";
  decoder.on("decoded", (p) => (packet = p));
  try {
    decoder.add(wire);
  } catch (error) {
    return { thrown: (error as Error).message };
  }
  return { packet };
}

const WIRES = [
  "0",
  '0{"token":"x"}',
  "0/admin,",
  '0/admin,{"sid":"abc"}',
  '0{"sid":"abc","pid":"p"}',
  "0[]",
  '0"x"',
  "1",
  "1/admin,",
  "1{}",
  '2["log_other","{\\"seq\\":1}"]',
  '2/admin,["log_pool","{}"]',
  '212["answer","{}"]',
  '2/admin,7["x"]',
  "2[1]",
  "2[]",
  '2["connect"]',
  '2["disconnecting","x"]',
  '2["newListener"]',
  "2{}",
  '2"x"',
  "2[nope",
  '2 ["x"]',
  '21 2["x"]',
  "27",
  "2/",
  "2/admin",
  "2/admin,",
  '2/a,b,["x"]',
  "3",
  "35[]",
  '35["ok",1]',
  "3/admin,9[{}]",
  "35{}",
  '4{"message":"refused","data":{"code":1}}',
  '4"refused"',
  "4[]",
  "4/admin,{}",
  "7",
  "9[]",
  "x",
  "-1",
  "",
  " ",
  '\t["x"]',
  "2\n1[]",
];

describe("text-only socket.io parser", () => {
  it("says the same protocol and packet types as socket.io-parser", () => {
    expect(protocol).toBe(real.protocol);
    for (const [name, type] of Object.entries(PacketType))
      expect(type).toBe(real.PacketType[name as keyof typeof real.PacketType]);
  });

  it("decodes every text packet as socket.io-parser does, and refuses the same ones", () => {
    for (const wire of WIRES) {
      const ours = decoded(new Decoder(), wire);
      const theirs = decoded(new real.Decoder(), wire);
      if ("thrown" in theirs) expect(ours, wire).toHaveProperty("thrown");
      else expect(ours, wire).toEqual(theirs);
    }
  });

  it("agrees with socket.io-parser on strings of the protocol's characters", () => {
    const chars = '0123456789 /,[]{}"x-';
    let seed = 1;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let n = 0; n < 5000; n++) {
      let wire = "";
      for (let length = next() % 10; length > 0; length--) wire += chars[next() % chars.length];
      // Binary packets: socket.io-parser waits for attachments, this one refuses (below).
      if (wire[0] === "5" || wire[0] === "6") continue;
      const ours = decoded(new Decoder(), wire);
      const theirs = decoded(new real.Decoder(), wire);
      if ("thrown" in theirs) expect(ours, wire).toHaveProperty("thrown");
      else expect(ours, wire).toEqual(theirs);
    }
  });

  it("encodes every packet the client sends as socket.io-parser does", () => {
    const packets: Packet[] = [
      { type: 0, nsp: "/" },
      { type: 0, nsp: "/", data: { token: "t" } },
      { type: 0, nsp: "/admin", data: { pid: "p", offset: "o" } },
      { type: 1, nsp: "/" },
      { type: 2, nsp: "/", data: ["spectate", '{"guild":"1"}'] },
      { type: 2, nsp: "/admin", id: 4, data: ["x", 1, null, { a: "ü" }] },
      { type: 3, nsp: "/", id: 0, data: [] },
    ];
    for (const packet of packets)
      expect(new Encoder().encode(packet)).toEqual(new real.Encoder().encode(packet));
  });

  it("refuses binary packets from the gateway (the Manager closes on a parse error)", () => {
    for (const wire of ['51-["x",{"_placeholder":true,"num":0}]', "61-/admin,1[{}]"])
      expect(decoded(new Decoder(), wire)).toEqual({ thrown: "binary packets are not part of the protocol" });
    expect(() => new Decoder().add(new ArrayBuffer(2) as unknown as string)).toThrow("binary packets");
  });

  it("carries a socket.io-client's connection to a real server: connect, events both ways, refusal, server disconnect", async () => {
    const http = createServer();
    const server = new Server(http);
    server.use((socket, next) =>
      socket.handshake.auth.refuse
        ? next(Object.assign(new Error("not now"), { data: { code: 7 } }))
        : next(),
    );
    server.on("connection", (socket) => {
      socket.on("ping_me", (payload: string) => socket.emit("pong_you", payload + "!"));
      socket.on("bye", () => socket.disconnect());
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const options = { parser: textOnly, forceNew: true, reconnection: false } as Partial<ManagerOptions>;
    try {
      const socket = io(url, options);
      const frames: unknown[] = [];
      socket.onAny((...args: unknown[]) => frames.push(args));
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.emit("ping_me", '{"a":"ü"}');
      await expect.poll(() => frames).toEqual([["pong_you", '{"a":"ü"}!']]);
      const reason = new Promise((resolve) => socket.once("disconnect", resolve));
      socket.emit("bye");
      expect(await reason).toBe("io server disconnect");

      const refused = io(url, { ...options, auth: { refuse: true } });
      const error = await new Promise<Error & { data?: unknown }>((resolve) =>
        refused.once("connect_error", resolve),
      );
      expect([error.message, error.data]).toEqual(["not now", { code: 7 }]);
      refused.close();
    } finally {
      await new Promise<void>((resolve) => void server.close(() => resolve()));
    }
  });
});

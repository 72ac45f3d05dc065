import { Emitter } from "./emitter";

/**
 * socket.io-parser for text packets only, put in its place in the worker build (vite.config.ts):
 * what socket.io-client uses of it (`PacketType`, `Encoder`, `Decoder`, `protocol`), without the
 * binary attachments code, as every payload of the protocol is a JSON string (PROTOCOL.md,
 * Transport). A text packet encodes and decodes exactly as socket.io-parser does, with the same
 * checks of its payload; a binary packet from a gateway is a parse error (the Manager closes the
 * connection and reconnects), and sending binary data throws.
 */

export const protocol = 5;

export const PacketType = {
  CONNECT: 0,
  DISCONNECT: 1,
  EVENT: 2,
  ACK: 3,
  CONNECT_ERROR: 4,
  BINARY_EVENT: 5,
  BINARY_ACK: 6,
} as const;

export interface Packet {
  type: number;
  nsp: string;
  id?: number;
  data?: unknown;
}

/** Event names socket.io keeps for itself: an event packet naming one is invalid. */
const RESERVED_EVENTS = [
  "connect",
  "connect_error",
  "disconnect",
  "disconnecting",
  "newListener",
  "removeListener",
];

const refuse = (): never => {
  throw new Error("binary packets are not part of the protocol");
};

const isObject = (value: unknown) => Object.prototype.toString.call(value) === "[object Object]";

/** socket.io-parser's test of a digit: also true of whitespace, which `Number` reads as 0. */
const isDigit = (c: string) => c !== "" && !Number.isNaN(Number(c));

export class Encoder {
  encode(packet: Packet): string[] {
    let str = `${packet.type}`;
    if (packet.nsp && packet.nsp !== "/") str += packet.nsp + ",";
    if (packet.id != null) str += packet.id;
    if (packet.data != null) str += JSON.stringify(packet.data);
    return [str];
  }
}

export class Decoder extends Emitter {
  add(data: unknown): void {
    if (typeof data !== "string") refuse();
    this.emitReserved("decoded", decodeString(data as string));
  }

  /** No binary packet is ever half received: nothing to drop. */
  destroy(): void {}
}

function decodeString(str: string): Packet {
  const type = Number(str.charAt(0));
  if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) refuse();
  if (!(type <= PacketType.CONNECT_ERROR)) throw new Error("unknown packet type " + type);
  const packet: Packet = { type, nsp: "/" };
  // `i`: the last character read.
  let i = 0;
  if (str.charAt(1) === "/") {
    const comma = str.indexOf(",", 1);
    i = comma < 0 ? str.length : comma;
    packet.nsp = str.substring(1, i);
  }
  if (isDigit(str.charAt(i + 1))) {
    let end = i + 1;
    while (isDigit(str.charAt(end))) end++;
    packet.id = Number(str.substring(i + 1, end));
    i = end - 1;
  }
  if (str.charAt(++i)) {
    const payload = tryParse(str.substring(i));
    if (!isPayloadValid(type, payload)) throw new Error("invalid payload");
    packet.data = payload;
  }
  return packet;
}

function tryParse(str: string): unknown {
  try {
    return JSON.parse(str) as unknown;
  } catch {
    return false;
  }
}

function isPayloadValid(type: number, payload: unknown): boolean {
  switch (type) {
    case PacketType.CONNECT:
      return isObject(payload);
    case PacketType.DISCONNECT:
      return payload === undefined;
    case PacketType.CONNECT_ERROR:
      return typeof payload === "string" || isObject(payload);
    case PacketType.EVENT:
      return (
        Array.isArray(payload) &&
        (typeof payload[0] === "number" ||
          (typeof payload[0] === "string" && !RESERVED_EVENTS.includes(payload[0])))
      );
    default:
      return Array.isArray(payload);
  }
}

/**
 * engine.io's packet codec for text packets only, put in place of engine.io-parser's
 * `encodePacket` / `decodePacket` modules in the worker build (vite.config.ts): every payload of
 * the protocol is a JSON string, so the Blob, FileReader and base64 code of a binary packet is
 * left out. A text packet encodes and decodes exactly as engine.io-parser does; a binary packet
 * from a gateway decodes as engine.io's parser error (the transport closes, socket.io
 * reconnects), and sending binary data throws.
 */

type PacketType = "open" | "close" | "ping" | "pong" | "message" | "upgrade" | "noop" | "error";
interface Packet {
  type: PacketType;
  data?: unknown;
}

const TYPES: PacketType[] = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
const ERROR_PACKET: Packet = { type: "error", data: "parser error" };

const refuse = (): never => {
  throw new Error("binary packets are not part of the protocol");
};

export function encodePacket(
  packet: Packet,
  _supportsBinary: boolean,
  callback: (encoded: string) => void,
): void {
  const { type, data } = packet;
  if (data !== undefined && data !== null && typeof data !== "string") refuse();
  return callback(`${TYPES.indexOf(type)}${(data as string | undefined) || ""}`);
}

/** Used by WebTransport only, which the worker build leaves out. */
export const encodePacketToBinary = refuse;

export function decodePacket(encoded: unknown): Packet {
  if (typeof encoded !== "string") return ERROR_PACKET;
  const type = TYPES[encoded.charCodeAt(0) - 48];
  if (type === undefined || encoded.length === 0) return ERROR_PACKET;
  return encoded.length > 1 ? { type, data: encoded.substring(1) } : { type };
}

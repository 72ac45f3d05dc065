import { describe, expect, it } from "vitest";
// engine.io-parser's own codec, its browser build (what the worker build would bundle otherwise; not exported).
import { encodePacket as realEncode } from "../../node_modules/engine.io-parser/build/esm/encodePacket.browser.js";
import { decodePacket as realDecode } from "../../node_modules/engine.io-parser/build/esm/decodePacket.browser.js";
import { decodePacket, encodePacket } from "./textOnlyPackets";

const TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"] as const;
const encoded = (encode: typeof encodePacket, packet: Parameters<typeof encodePacket>[0]) => {
  let out: unknown;
  encode(packet, true, (e) => (out = e));
  return out;
};

describe("text-only engine.io packets", () => {
  it("encode and decode every text packet exactly as engine.io-parser", () => {
    for (const type of TYPES)
      for (const data of [undefined, "", "probe", '2["log_other","{\\"seq\\":1}"]', "ünïcode ✓"]) {
        const packet = data === undefined ? { type } : { type, data };
        const wire = encoded(encodePacket, packet);
        expect(wire).toBe(encoded(realEncode as typeof encodePacket, packet));
        expect(decodePacket(wire)).toEqual(realDecode(wire as string, "arraybuffer"));
      }
  });

  it("decodes what is not a text packet as engine.io's parser error", () => {
    for (const wire of ["", "7", "x", "/", "b" + btoa("binary")])
      expect(decodePacket(wire)).toEqual({ type: "error", data: "parser error" });
    expect(decodePacket(new ArrayBuffer(4))).toEqual({ type: "error", data: "parser error" });
    // engine.io-parser itself errors on unknown types too (and would decode the binary ones).
    expect(realDecode("7", "arraybuffer")).toEqual({ type: "error", data: "parser error" });
  });

  it("refuses to send binary data", () => {
    expect(() => encoded(encodePacket, { type: "message", data: new ArrayBuffer(2) })).toThrow(
      "binary packets are not part of the protocol",
    );
  });
});

import { describe, expect, it } from "vitest";
// The parser it stands in for in the worker build (vite.config.ts).
import { parse as parseuri } from "../../node_modules/engine.io-client/build/esm/contrib/parseuri.js";
import { parse } from "./urlParts";

/** A port as the clients end up using it: parseuri's as written, else the protocol's default. */
const effectivePort = (p: { protocol: string; port: string }) =>
  p.port || (/^(http|ws)$/.test(p.protocol) ? "80" : "443");

describe("urlParts: engine.io's URI parser over URL", () => {
  it("gives what socket.io and engine.io read, as parseuri does, for the URLs a gateway has", () => {
    for (const url of [
      "http://127.0.0.1:3000",
      "https://gateway.archit.us",
      "wss://gateway.archit.us/",
      "ws://localhost:80/socket.io/",
      "https://gateway.archit.us:8443/admin?token=a=b&x=&flag",
      "http://[::1]:3000/",
      "https://user:pw@example.com/path/to/ns#frag",
    ]) {
      const ours = parse(url);
      const theirs = parseuri(url) as Record<string, unknown> & { protocol: string; port: string };
      expect({ ...ours, port: effectivePort(ours) }, url).toEqual({
        source: theirs.source,
        protocol: theirs.protocol,
        host: theirs.host,
        port: effectivePort(theirs),
        path: theirs.path || "/",
        query: theirs.query,
        queryKey: theirs.queryKey,
      });
    }
  });

  it("never throws: what URL cannot read gives empty parts (the hello refuses such a URL)", () => {
    expect(parse("http://exa mple")).toMatchObject({
      source: "http://exa mple",
      host: "",
      port: "",
      path: "",
    });
  });
});

import { GatewayError, type CacheSettings } from "../../src/shared";

/** Longest buster string a tab may pass. */
const MAX_BUSTER = 200;

/** A tab's cache settings (from hello), checked: `false` or complete settings; else `bad_input`. */
export function checkCacheSettings(value: unknown): CacheSettings | false {
  if (value === false) return false;
  if (typeof value !== "object" || value === null)
    throw new GatewayError("bad_input", "cache must be false or { buster, maxAgeMs, maxBytes }");
  const { buster, maxAgeMs, maxBytes } = value as Partial<CacheSettings>;
  if (typeof buster !== "string" || buster.length > MAX_BUSTER)
    throw new GatewayError("bad_input", `cache.buster must be a string of at most ${MAX_BUSTER} characters`);
  if (typeof maxAgeMs !== "number" || !(maxAgeMs > 0))
    throw new GatewayError("bad_input", "cache.maxAgeMs must be a positive number of milliseconds");
  if (typeof maxBytes !== "number" || !(maxBytes > 0))
    throw new GatewayError("bad_input", "cache.maxBytes must be a positive number of bytes");
  return { buster, maxAgeMs, maxBytes };
}

export function sameCacheSettings(a: CacheSettings | false, b: CacheSettings | false): boolean {
  if (a === false || b === false) return a === b;
  return a.buster === b.buster && a.maxAgeMs === b.maxAgeMs && a.maxBytes === b.maxBytes;
}

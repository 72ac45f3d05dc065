import {
  DEFAULT_CACHE_SETTINGS,
  GatewayError,
  type CacheSettings,
  type ReconnectSettings,
} from "../../src/shared";

/** Longest buster string a tab may pass. */
const MAX_BUSTER = 200;

/** A tab's cache settings (from hello), checked: `false` or complete settings; else `bad_input`. */
export function checkCacheSettings(value: unknown = {}): CacheSettings | false {
  if (value === false) return false;
  if (typeof value !== "object" || value === null)
    throw new GatewayError("bad_input", "cache must be false or { buster?, maxAgeMs?, maxBytes? }");
  const {
    buster = DEFAULT_CACHE_SETTINGS.buster,
    maxAgeMs = DEFAULT_CACHE_SETTINGS.maxAgeMs,
    maxBytes = DEFAULT_CACHE_SETTINGS.maxBytes,
  } = value as Partial<CacheSettings>;
  if (typeof buster !== "string" || buster.length > MAX_BUSTER)
    throw new GatewayError("bad_input", `cache.buster must be a string of at most ${MAX_BUSTER} characters`);
  if (typeof maxAgeMs !== "number" || !(maxAgeMs > 0))
    throw new GatewayError("bad_input", "cache.maxAgeMs must be a positive number of milliseconds");
  if (typeof maxBytes !== "number" || !(maxBytes > 0))
    throw new GatewayError("bad_input", "cache.maxBytes must be a positive number of bytes");
  return { buster, maxAgeMs, maxBytes };
}

/** Whether two results of {@link checkCacheSettings} are the same (same keys, same order). */
export function sameCacheSettings(a: CacheSettings | false, b: CacheSettings | false): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A tab's reconnect settings (from hello): positive delays, the first no longer than the cap. */
export function checkReconnectSettings(value: unknown): ReconnectSettings {
  const { firstDelayMs = 1000, maxDelayMs = 30_000 } = (
    typeof value === "object" && value !== null ? value : {}
  ) as Partial<Record<keyof ReconnectSettings, unknown>>;
  if (typeof firstDelayMs !== "number" || !(firstDelayMs > 0) || firstDelayMs > 600_000)
    throw new GatewayError("bad_input", "reconnect.firstDelayMs must be a number of ms in (0, 600000]");
  if (typeof maxDelayMs !== "number" || !(maxDelayMs >= firstDelayMs) || maxDelayMs > 3_600_000)
    throw new GatewayError("bad_input", "reconnect.maxDelayMs must be ≥ firstDelayMs and ≤ 1 h");
  return { firstDelayMs, maxDelayMs };
}

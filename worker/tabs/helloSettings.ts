import { parse } from "../gateway/urlParts";
import { PROTOCOL_VERSION } from "../../src/protocol";
import {
  GatewayError,
  TAB_PROTOCOL_VERSION,
  type CacheSettings,
  type HelloRequest,
  type ReconnectSettings,
} from "../../src/shared";
import { checkCacheSettings, checkReconnectSettings, sameCacheSettings } from "../cache/cacheSettings";

/** The range of `batch_ms` (PROTOCOL.md Extension 1; 0: single frames). */
export const BATCH_MS_RANGE = [0, 100] as const;

/** The range of a tab's `backlog` (see `HelloRequest.backlog`). */
export const BACKLOG_RANGE = [100, 1_000_000] as const;

/** `value` if it is an integer within `range` (inclusive), else `bad_input` naming it. */
function integerIn(name: string, value: unknown, [min, max]: readonly [number, number]): number {
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
    throw new GatewayError("bad_input", `${name} must be an integer in [${min}, ${max}]`);
  return value as number;
}

/** A setting every tab of one worker must share, asked otherwise: both values, as JSON. */
const mismatch = (what: string, ours: unknown, theirs: unknown) =>
  new GatewayError(
    "config_mismatch",
    `this worker's ${what} is ${JSON.stringify(ours)}; a tab asked for ${JSON.stringify(theirs)}`,
  );

/**
 * A tab's hello, checked against the protocol and against what the worker's tabs chose: the
 * gateway URL, `batchMs` and reconnect settings of the open tabs (`url` null: none is open) and
 * the settings the pool cache was made with (null: not made yet). Returns the tab's settings.
 */
export function checkHello(
  request: HelloRequest,
  url: string | null,
  tabs: { has(tabId: string): boolean },
  batchMs: number,
  reconnect: ReconnectSettings,
  cacheSettings: CacheSettings | false | null,
): [cache: CacheSettings | false, backlog: number, batchMs: number, reconnect: ReconnectSettings] {
  const { gatewayUrl } = request;
  if (request.protocolVersion !== PROTOCOL_VERSION || request.tabProtocolVersion !== TAB_PROTOCOL_VERSION)
    throw new GatewayError(
      "incompatible",
      `this tab speaks protocol ${request.protocolVersion}/${request.tabProtocolVersion}, the worker ${PROTOCOL_VERSION}/${TAB_PROTOCOL_VERSION}: reload the page`,
    );
  // And one `URL` reads: the socket's URI parser is `URL` (worker/gateway/urlParts.ts).
  if (typeof gatewayUrl !== "string" || !/^(https?|wss?):\/\//.test(gatewayUrl) || !parse(gatewayUrl).host)
    throw new GatewayError("bad_input", "gatewayUrl must be an http(s) or ws(s) URL");
  if (url !== null && url !== gatewayUrl) throw mismatch("gateway URL", url, gatewayUrl);
  if (tabs.has(request.tabId)) throw new GatewayError("bad_input", `tab ${request.tabId} said hello twice`);
  if (request.devtools !== undefined && typeof request.devtools !== "boolean")
    throw new GatewayError("bad_input", "devtools must be a boolean");
  const cache = checkCacheSettings(request.cache);
  const backlog = integerIn("backlog", request.backlog ?? 10_000, BACKLOG_RANGE);
  const asked = integerIn("batchMs", request.batchMs ?? 16, BATCH_MS_RANGE);
  if (url !== null && asked !== batchMs) throw mismatch("batchMs", batchMs, asked);
  const theirs = checkReconnectSettings(request.reconnect);
  // Both made by checkReconnectSettings, so with the same keys in the same order.
  if (url !== null && JSON.stringify(theirs) !== JSON.stringify(reconnect))
    throw mismatch("reconnect settings", reconnect, theirs);
  if (cacheSettings !== null && !sameCacheSettings(cacheSettings, cache))
    throw mismatch("cache settings", cacheSettings, cache);
  return [cache, backlog, asked, theirs];
}

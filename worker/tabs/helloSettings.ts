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

/** What every tab of one worker shares: the first tab's choice, which later tabs must repeat. */
export interface SharedSettings {
  url: string;
  batchMs: number;
  reconnect: ReconnectSettings;
}

/** A tab's hello, checked: the worker's settings as it asks them, and its own backlog. */
export interface CheckedHello extends SharedSettings {
  cache: CacheSettings | false;
  backlog: number;
}

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
 * Checks a tab's hello: its versions, its gateway URL and settings (`bad_input`), and that they
 * agree with what the worker's tabs share (`shared`: null while no tab is open) and with the cache
 * the worker made (`cache`: undefined until the first tab); `config_mismatch` otherwise. A tab
 * that said hello already (`known`) is `bad_input`.
 */
export function checkHello(
  request: HelloRequest,
  shared: SharedSettings | null,
  cache: CacheSettings | false | undefined,
  known: (tabId: string) => boolean,
): CheckedHello {
  if (request.protocolVersion !== PROTOCOL_VERSION || request.tabProtocolVersion !== TAB_PROTOCOL_VERSION)
    throw new GatewayError(
      "incompatible",
      `this tab speaks protocol ${request.protocolVersion}/${request.tabProtocolVersion}, the worker ${PROTOCOL_VERSION}/${TAB_PROTOCOL_VERSION}: reload the page`,
    );
  const url = request.gatewayUrl;
  if (typeof url !== "string" || !/^(https?|wss?):\/\//.test(url))
    throw new GatewayError("bad_input", "gatewayUrl must be an http(s) or ws(s) URL");
  if (shared && shared.url !== url) throw mismatch("gateway URL", shared.url, url);
  if (known(request.tabId)) throw new GatewayError("bad_input", `tab ${request.tabId} said hello twice`);
  const asked = checkCacheSettings(request.cache);
  const backlog = integerIn("backlog", request.backlog, BACKLOG_RANGE);
  const batchMs = integerIn("batchMs", request.batchMs, BATCH_MS_RANGE);
  if (shared && batchMs !== shared.batchMs) throw mismatch("batchMs", shared.batchMs, batchMs);
  const reconnect = checkReconnectSettings(request.reconnect);
  // Both made by checkReconnectSettings, so with the same keys in the same order.
  if (shared && JSON.stringify(reconnect) !== JSON.stringify(shared.reconnect))
    throw mismatch("reconnect settings", shared.reconnect, reconnect);
  if (cache !== undefined && !sameCacheSettings(cache, asked)) throw mismatch("cache settings", cache, asked);
  return { url, batchMs, reconnect, cache: asked, backlog };
}

/**
 * The settings a worker's tabs share: the first tab's (after every tab left, the next first tab's),
 * which each later hello must repeat, and the cache settings, fixed by the very first tab.
 */
export class TabSettings {
  #shared: SharedSettings | null = null;
  /** The gateway of the session held (kept while no tab is open). */
  #lastUrl: string | null = null;
  #cache: CacheSettings | false | undefined;

  /** The batching window asked of the gateway (the first tab's). */
  get batchMs(): number {
    return this.#shared?.batchMs ?? 16;
  }

  /**
   * Checks a tab's hello (see `checkHello`) and, for the first tab, takes its settings.
   * `otherGateway`: the session held was made with another gateway (it must end).
   */
  accept(request: HelloRequest, known: (tabId: string) => boolean): CheckedHello & { otherGateway: boolean } {
    const hello = checkHello(request, this.#shared, this.#cache, known);
    this.#cache ??= hello.cache;
    const otherGateway = this.#lastUrl !== null && this.#lastUrl !== hello.url;
    this.#shared ??= { url: hello.url, batchMs: hello.batchMs, reconnect: hello.reconnect };
    this.#lastUrl = hello.url;
    return { ...hello, otherGateway };
  }

  /** Every tab left: the next first tab chooses again (the cache settings stay). */
  release(): void {
    this.#shared = null;
  }
}

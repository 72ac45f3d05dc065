import { GatewayError, type GatewayMode } from "../shared";
import type { WorkerFactory } from "./openWorker";
import type { LinkSettings } from "./workerInstance";

/** Options of {@link connectGateway}. */
export interface ConnectOptions {
  /**
   * The gateway, e.g. `https://gateway.archit.us` (http(s) or ws(s), else `ready` rejects
   * `bad_input`). Every tab of one worker must agree: another URL rejects `config_mismatch`.
   */
  url: string;
  /**
   * Creates the worker (default: the bundled worker script, which the app's bundler emits).
   * Override to host the script elsewhere; name a SharedWorker `WORKER_NAME`.
   */
  worker?: WorkerFactory;
  /**
   * How tabs share the one connection: `"auto"` (default: a SharedWorker where the browser has
   * one, else `"leader"` where it has Web Locks and BroadcastChannel, else `"per-tab"`);
   * `"shared"` (a SharedWorker); `"leader"` (the tabs elect a leader whose dedicated worker
   * serves them all over BroadcastChannels; when it goes, the next tab leads within a second);
   * `"per-tab"` (a dedicated worker, and so a connection, per tab). A mode the browser cannot do
   * throws `unsupported`.
   */
  mode?: "auto" | GatewayMode;
  /** Older spelling: `shared: false` is `mode: "per-tab"`. */
  shared?: boolean;
  /**
   * The IndexedDB pool cache (default on): pools show at once after a reload, then catch up.
   * `false` turns it off; `buster` (joins every key: change it when entity shapes change),
   * `maxAgeMs` (default 24 h) and `maxBytes` (default 50 MB) tune it. Every tab of one worker
   * must agree, else `ready` rejects `config_mismatch`.
   */
  cache?: false | { buster?: string; maxAgeMs?: number; maxBytes?: number };
  /**
   * How the worker's socket spreads its reconnections: exponential backoff with full jitter, the
   * first attempt anywhere within `firstDelayMs` (default 1 s), none later than `maxDelayMs`
   * (default 30 s), so that the tabs of thousands of users do not stampede a restarted gateway.
   * Every tab of one worker must agree (`config_mismatch`).
   */
  reconnect?: { firstDelayMs?: number; maxDelayMs?: number };
  /**
   * What the worker may hold for this tab while the tab does not take its deliveries (frozen,
   * blocked or too busy): queued updates plus log entries, default 10,000 (100–1,000,000, else
   * `ready` rejects `bad_input`). Beyond it the worker keeps only the latest value of each
   * observable and the whole state of each pool, and drops the oldest log entries: `logs$` says
   * so with a `slow_tab` gap (the seqs around the dropped entries), and the tab catches up.
   */
  backlog?: number;
  /**
   * Asks the gateway to gather its pushes for up to this many ms into one `log_batch` frame
   * (PROTOCOL.md Extension 1): default 16, 0 turns it off, an integer 0–100 (else `ready`
   * rejects `bad_input`). A gateway without the extension sends single frames; both work.
   * `diagnostics$` shows the window in use (`batchMs`). Every tab of one worker must agree.
   */
  batchMs?: number;
  /**
   * Lets this tab ask the worker for devtools actions (`client.devtools()`, the devtools panel's
   * `actions: true`): drop the socket, end the worker, spectate again. Off by default: the worker
   * refuses them (`bad_input`). For development builds only.
   */
  devtools?: boolean;
}

/** The mode a tab uses: the one asked for, or for `"auto"` the best this browser can do. */
export function resolveMode(options: Pick<ConnectOptions, "mode" | "shared">): GatewayMode {
  const mode = options.mode ?? (options.shared === false ? "per-tab" : "auto");
  const hasShared = typeof SharedWorker !== "undefined";
  const canLead =
    typeof BroadcastChannel !== "undefined" && typeof navigator !== "undefined" && "locks" in navigator;
  switch (mode) {
    case "auto":
      return hasShared ? "shared" : canLead ? "leader" : "per-tab";
    case "shared":
      if (!hasShared) throw new GatewayError("unsupported", "this browser has no SharedWorker");
      return mode;
    case "leader":
      if (!canLead) throw new GatewayError("unsupported", "leader mode needs Web Locks and BroadcastChannel");
      return mode;
    case "per-tab":
      return mode;
    default:
      throw new GatewayError("bad_input", `mode must be "auto", "shared", "leader" or "per-tab"`);
  }
}

/**
 * What every worker is told, from the options: the worker fills in the defaults and checks the
 * values (a bad one rejects `ready` with `bad_input`). Throws what `connectGateway` throws.
 */
export function linkSettings(options: ConnectOptions): LinkSettings {
  if (typeof options?.url !== "string") throw new GatewayError("bad_input", "connectGateway needs { url }");
  const { url, cache, reconnect, backlog, batchMs, devtools } = options;
  return { url, mode: resolveMode(options), cache, reconnect, backlog, batchMs, devtools };
}

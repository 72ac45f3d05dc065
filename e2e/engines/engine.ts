/**
 * The one page-facing API of the cross-engine scenarios: a browser of one engine (a fresh
 * profile per test) whose tabs run functions in the page. Chromium runs through Playwright,
 * Firefox ESR through WebDriver BiDi (puppeteer-core), WebKitGTK through classic WebDriver.
 */

export type EngineName = "chromium" | "firefox" | "webkit";

/** A function run in the page: its source is sent (as Playwright's evaluate does), not a closure. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

export interface EngineTab {
  /**
   * Runs `fn(arg)` in the page and resolves with its result as JSON (undefined stays
   * undefined). A rejection or throw in the page rejects with the page error's message (and its
   * `code` when the error had one, as GatewayError has). `arg` must be JSON-able.
   */
  run<R, A = undefined>(fn: PageFunction<A, R>, arg?: A): Promise<R>;
  /** Reloads the page and waits for its load event. */
  reload(): Promise<void>;
  /** Closes the tab (as a user closing it would). */
  close(): Promise<void>;
}

/** A browser profile of one engine: its tabs share one origin's storage, workers and locks. */
export interface EngineBrowser {
  readonly name: EngineName;
  /** Opens a new tab at `url` and waits for its load event. */
  openTab(url: string): Promise<EngineTab>;
  /** Closes every tab and the profile. */
  close(): Promise<void>;
}

/** A running engine (one per Playwright worker) that hands out fresh profiles. */
export interface Engine {
  readonly name: EngineName;
  /** The browser's version, as the engine reports it. */
  readonly version: string;
  /** A fresh profile: no storage, no workers of an earlier test. */
  newBrowser(): Promise<EngineBrowser>;
  /** Ends every process the engine started. */
  stop(): Promise<void>;
}

/** What a page function's run came back as (see pageScript.ts). */
export type PageOutcome =
  { ok: true; json: string | null } | { ok: false; name: string; message: string; code: string | null };

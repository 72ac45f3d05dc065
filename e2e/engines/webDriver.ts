/**
 * A small client of classic W3C WebDriver over HTTP (what WebKitWebDriver speaks): a session,
 * its windows, navigation and scripts. Commands of one session run one at a time, in order: a
 * command for a window switches to it first, and nothing else may come in between.
 */

/** A WebDriver error response, with the driver's error code and message. */
export class WebDriverError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`WebDriver ${code}: ${message}`);
    this.name = "WebDriverError";
  }
}

type Method = "GET" | "POST" | "DELETE";

/** One command to the driver at `base` (e.g. http://127.0.0.1:4444). */
export async function command<T>(base: string, method: Method, path: string, body?: object): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json; charset=utf-8" },
    ...(method === "POST" ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  const text = await response.text();
  let parsed: { value?: unknown };
  try {
    parsed = JSON.parse(text) as { value?: unknown };
  } catch {
    throw new WebDriverError(
      "bad response",
      `${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`,
    );
  }
  const value = parsed.value as { error?: string; message?: string } | null | undefined;
  if (!response.ok || (value && typeof value === "object" && typeof value.error === "string"))
    throw new WebDriverError(value?.error ?? `HTTP ${response.status}`, value?.message ?? text.slice(0, 200));
  return parsed.value as T;
}

export interface WebDriverSession {
  readonly id: string;
  readonly capabilities: Record<string, unknown>;
  /** Runs `fn` with the session to itself: no other command of this session in between. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** The current window's handle. */
  window(): Promise<string>;
  /** Opens a new top-level tab; returns its handle (the current window stays current). */
  newWindow(): Promise<string>;
  switchTo(handle: string): Promise<void>;
  navigate(url: string): Promise<void>;
  refresh(): Promise<void>;
  /** Runs `script` with `done` as its last argument; resolves with what it passed to `done`. */
  executeAsync<T>(script: string, args?: unknown[]): Promise<T>;
  /** Closes the current window; returns the handles left. */
  closeWindow(): Promise<string[]>;
  delete(): Promise<void>;
}

/** Starts a session with `capabilities` (alwaysMatch). */
export async function newSession(base: string, capabilities: object): Promise<WebDriverSession> {
  const created = await command<{ sessionId: string; capabilities: Record<string, unknown> }>(
    base,
    "POST",
    "/session",
    { capabilities: { alwaysMatch: capabilities } },
  );
  const path = `/session/${created.sessionId}`;
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  return {
    id: created.sessionId,
    capabilities: created.capabilities,
    exclusive,
    window: () => command(base, "GET", `${path}/window`),
    newWindow: async () =>
      (await command<{ handle: string }>(base, "POST", `${path}/window/new`, { type: "tab" })).handle,
    switchTo: (handle) => command(base, "POST", `${path}/window`, { handle }),
    navigate: (url) => command(base, "POST", `${path}/url`, { url }),
    refresh: () => command(base, "POST", `${path}/refresh`),
    executeAsync: (script, args = []) => command(base, "POST", `${path}/execute/async`, { script, args }),
    closeWindow: () => command(base, "DELETE", `${path}/window`),
    delete: () => command(base, "DELETE", path),
  };
}

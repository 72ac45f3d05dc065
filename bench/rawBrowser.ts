import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../playwright.config";
import type { Cdp } from "./rawTarget";

/** A Chromium started without Playwright, driven over CDP on a pipe. */
export interface RawBrowser {
  cdp: Cdp;
  close(): Promise<void>;
}

/**
 * Starts Chromium (new headless) as a user's browser runs. Playwright adds flags that keep
 * background pages running at full speed (`--disable-renderer-backgrounding`,
 * `--disable-background-timer-throttling`, `--disable-backgrounding-occluded-windows`), and a
 * page it attaches to stays `visible` behind other tabs. Here nothing attaches but `RawTarget`:
 * a tab behind another tab of its window is `hidden` and throttled, as in a user's browser.
 * CDP runs over `--remote-debugging-pipe` (fd 3 in, fd 4 out, messages ended by NUL).
 */
export async function launchRawChromium(): Promise<RawBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "raw-chromium-"));
  const child = spawn(
    CHROMIUM_PATH,
    [
      ...CHROMIUM_ARGS,
      "--headless=new",
      "--remote-debugging-pipe",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  output.setEncoding("utf8");
  let exited = false;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, ((params: never) => void)[]>();
  let pending = "";
  output.on("data", (chunk: string) => {
    pending += chunk;
    let end: number;
    while ((end = pending.indexOf("\0")) >= 0) {
      const message = JSON.parse(pending.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: unknown;
      };
      pending = pending.slice(end + 1);
      if (message.id !== undefined) {
        const call = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error) call?.reject(new Error(`CDP: ${message.error.message}`));
        else call?.resolve(message.result);
      } else if (message.method !== undefined)
        for (const listener of listeners.get(message.method) ?? []) listener(message.params as never);
    }
  });
  // "exit", or "error" when it could not even start (no such binary): either way it is gone.
  const gone = new Promise<void>((resolve) => {
    const end = () => {
      exited = true;
      for (const call of waiting.values()) call.reject(new Error("Chromium exited"));
      waiting.clear();
      resolve();
    };
    child.once("exit", end);
    child.once("error", end);
  });
  input.on("error", () => {});
  const cdp: Cdp = {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        if (exited) return reject(new Error("Chromium exited"));
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        input.write(`${JSON.stringify({ id, method, params })}\0`);
      }),
    on: (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (params: never) => void]);
    },
  };
  const close = async () => {
    if (!exited) {
      // Killed if it does not close within 5 s (a wedged browser may never answer).
      const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
      void cdp.send("Browser.close").catch(() => {});
      await gone;
      clearTimeout(killer);
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      cdp.send("Browser.getVersion"),
      gone.then(() => Promise.reject(new Error(`Chromium did not start (${CHROMIUM_PATH})`))),
    ]);
  } catch (error) {
    await close();
    throw error;
  }
  return { cdp, close };
}

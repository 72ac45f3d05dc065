import type { Engine, EngineBrowser, EngineTab, PageOutcome } from "./engine";
import { pageExpression, settle } from "./pageScript";
import { freePort, startProcess, waitFor, type Started } from "./processes";
import { command, newSession, type WebDriverSession } from "./webDriver";

/** Debian's webkit2gtk-driver and the MiniBrowser of libwebkit2gtk-4.1 (overridable). */
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? "/usr/bin/WebKitWebDriver";
export const WEBKIT_BROWSER =
  process.env.WEBKIT_BROWSER ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** How long a page function may run in WebKit before the driver gives up on it. */
const SCRIPT_TIMEOUT_MS = 60_000;

/** Starts an Xvfb on a display it picks itself (-displayfd), local connections only. */
async function startXvfb(): Promise<{ xvfb: Started; display: string }> {
  const xvfb = startProcess("Xvfb", ["-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1280x1024x24"], {
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  const display = await new Promise<string>((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`Xvfb reported no display: ${xvfb.output()}`)), 10_000);
    xvfb.child.stdio[3]?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) {
        clearTimeout(timer);
        resolve(`:${text.trim()}`);
      }
    });
    xvfb.child.once("exit", () => reject(new Error(`Xvfb ended: ${xvfb.output()}`)));
  }).catch(async (error: unknown) => {
    await xvfb.stop();
    throw error;
  });
  return { xvfb, display };
}

/** A window of a WebDriver session as an engine tab: every command switches to it first. */
function webDriverTab(session: WebDriverSession, handle: string): EngineTab {
  const inWindow = <T>(fn: () => Promise<T>) =>
    session.exclusive(async () => {
      await session.switchTo(handle);
      return fn();
    });
  return {
    run: async (fn, arg) =>
      settle(
        await inWindow(() =>
          session.executeAsync<PageOutcome>(
            `const done = arguments[arguments.length - 1];
             Promise.resolve(${pageExpression(fn, arg)}).then(done, (e) =>
               done({ ok: false, name: "Error", message: String(e), code: null }));`,
          ),
        ),
      ),
    reload: () => inWindow(() => session.refresh()),
    close: () => inWindow(async () => void (await session.closeWindow())),
  };
}

/**
 * WebKitGTK's MiniBrowser through WebKitWebDriver on an Xvfb display; a new WebDriver session
 * (a new MiniBrowser, hence a fresh web context) per test. Windows of one session share one web
 * context: one origin's storage, SharedWorker and locks. The session's first window stays on
 * about:blank, so closing every tab of the origin does not end the session.
 */
export async function launchWebKit(): Promise<Engine> {
  const { xvfb, display } = await startXvfb();
  let driver: Started | undefined;
  try {
    const port = await freePort();
    driver = startProcess(WEBKIT_DRIVER, [`--port=${port}`, "--host=127.0.0.1"], {
      env: { DISPLAY: display },
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => (await command<{ ready: boolean }>(base, "GET", "/status")).ready,
      10_000,
      `WebKitWebDriver did not answer at ${base}`,
    );
    const sessions = new Set<WebDriverSession>();
    const capabilities = {
      "webkitgtk:browserOptions": { binary: WEBKIT_BROWSER, args: ["--automation"] },
      timeouts: { script: SCRIPT_TIMEOUT_MS, pageLoad: 30_000, implicit: 0 },
    };
    const started = driver;
    const probe = await newSession(base, capabilities);
    const version = String(probe.capabilities.browserVersion);
    await probe.delete();
    return {
      name: "webkit",
      version,
      newBrowser: async (): Promise<EngineBrowser> => {
        const session = await newSession(base, capabilities);
        sessions.add(session);
        // New windows are opened from here: the current window may have been closed.
        const home = await session.window();
        return {
          name: "webkit",
          openTab: (url) =>
            session.exclusive(async () => {
              await session.switchTo(home);
              const handle = await session.newWindow();
              await session.switchTo(handle);
              await session.navigate(url);
              return webDriverTab(session, handle);
            }),
          close: async () => {
            sessions.delete(session);
            await session.exclusive(() => session.delete());
          },
        };
      },
      stop: async () => {
        for (const session of sessions) await session.delete().catch(() => {});
        await started.stop();
        await xvfb.stop();
      },
    };
  } catch (error) {
    await driver?.stop();
    await xvfb.stop();
    throw error;
  }
}

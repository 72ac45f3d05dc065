import type { Browser } from "@playwright/test";

/** What RawTarget needs of a browser-level CDP connection (Playwright's, or bench/rawBrowser's). */
export interface Cdp {
  send(method: string, params?: object): Promise<unknown>;
  on<T>(event: string, listener: (params: T) => void): void;
}

/**
 * A browser tab opened and driven over raw CDP, in a browser context Playwright does not
 * know: Playwright does not attach to it, so it does not copy its WebSocket frames (which
 * would slow a page's own socket and make the baseline unfair).
 */
export class RawTarget {
  private nextId = 1;
  private readonly waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();

  private constructor(
    private readonly cdp: Cdp,
    readonly targetId: string,
    private readonly sessionId: string,
  ) {
    cdp.on<{ sessionId: string; message: string }>("Target.receivedMessageFromTarget", (event) => {
      if (event.sessionId !== this.sessionId) return;
      const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
  }

  static async browserCdp(browser: Browser): Promise<Cdp> {
    const session = await browser.newBrowserCDPSession();
    return {
      send: (method, params) => session.send(method as never, params as never),
      on: (event, listener) => session.on(event as never, listener as never),
    };
  }

  static async newContext(cdp: Cdp): Promise<string> {
    const { browserContextId } = (await cdp.send("Target.createBrowserContext", {})) as {
      browserContextId: string;
    };
    return browserContextId;
  }

  /** Opens a tab of `contextId`: in the context's window, or in a new one (`newWindow`). */
  static async open(cdp: Cdp, contextId: string, url: string, newWindow = false): Promise<RawTarget> {
    const { targetId } = (await cdp.send("Target.createTarget", {
      url,
      browserContextId: contextId,
      // Chromium refuses `newWindow: false` for a context without a window yet.
      ...(newWindow ? { newWindow } : {}),
    })) as { targetId: string };
    const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: false })) as {
      sessionId: string;
    };
    return new RawTarget(cdp, targetId, sessionId);
  }

  /** Attaches to an existing target (e.g. a shared worker, which Playwright does not list). */
  static async attach(cdp: Cdp, targetId: string): Promise<RawTarget> {
    const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: false })) as {
      sessionId: string;
    };
    return new RawTarget(cdp, targetId, sessionId);
  }

  /** Attaches to the browser's one shared worker (the library's); throws when there is none. */
  static async sharedWorker(cdp: Cdp): Promise<RawTarget> {
    const { targetInfos } = (await cdp.send("Target.getTargets", {})) as {
      targetInfos: { targetId: string; type: string }[];
    };
    const worker = targetInfos.find((t) => t.type === "shared_worker");
    if (!worker) throw new Error("no shared worker");
    return RawTarget.attach(cdp, worker.targetId);
  }

  /** Brings this tab to the front of its window (the tab that was in front becomes hidden). */
  async activate(): Promise<void> {
    await this.cdp.send("Target.activateTarget", { targetId: this.targetId });
  }

  /** Main-thread task time of the page so far (CDP `Performance.getMetrics` TaskDuration), ms. */
  async taskMs(): Promise<number> {
    await this.send("Performance.enable", {});
    const reply = (await this.send("Performance.getMetrics", {})) as {
      result?: { metrics?: { name: string; value: number }[] };
    };
    const metric = reply.result?.metrics?.find((m) => m.name === "TaskDuration");
    return (metric?.value ?? Number.NaN) * 1000;
  }

  /** The target's JavaScript heap in use after a full collection, bytes (what it retains). */
  async heapUsed(): Promise<number> {
    await this.send("HeapProfiler.collectGarbage", {});
    const reply = (await this.send("Runtime.getHeapUsage", {})) as { result?: { usedSize?: number } };
    return reply.result?.usedSize ?? Number.NaN;
  }

  send(method: string, params: object): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => {
        this.waiting.delete(id);
        resolve(m);
      });
      // The browser or the target is gone: this call fails instead of waiting for ever.
      this.cdp
        .send("Target.sendMessageToTarget", {
          sessionId: this.sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch((error: unknown) => {
          this.waiting.delete(id);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  }

  /** Evaluates an expression in the page (awaiting promises) and returns its JSON value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = (await this.send("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as {
      result?: {
        result?: { value?: unknown };
        exceptionDetails?: { text?: string; exception?: { description?: string } };
      };
    };
    const details = reply.result?.exceptionDetails;
    if (details) throw new Error(`${expression}: ${details.exception?.description ?? details.text}`);
    return reply.result?.result?.value as T;
  }

  /** Waits until `window.bench` exists (the page's module ran). */
  async waitForBench(timeoutMs = 20_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await this.evaluate<boolean>("typeof window.bench === 'object'")) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("bench page did not load");
  }

  /**
   * Lets go of the target without closing it. Detach from a shared worker before it ends: a new
   * instance of a worker that a session still watched starts paused, waiting for the debugger.
   */
  async detach(): Promise<void> {
    await this.cdp.send("Target.detachFromTarget", { sessionId: this.sessionId });
  }

  async close(): Promise<void> {
    await this.cdp.send("Target.closeTarget", { targetId: this.targetId });
  }
}

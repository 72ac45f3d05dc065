import { GatewayError, type Clock } from "../../src/shared";

/** A page-registered source of fresh tokens. */
export type Refresher = () => Promise<string>;

/** How long a tab's refresher may take before the next tab's is asked. */
const REFRESHER_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number, clock: Clock): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = clock.setTimeout(
      () => reject(new GatewayError("timeout", "token refresher timed out")),
      ms,
    );
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error);
      },
    );
  });
}

/**
 * How long from `now` until a token expiring at `expiresAt` is refreshed: `leadMs` before it
 * expires, or halfway if it has less than twice that left.
 */
export function refreshDelay(expiresAt: number, now: number, leadMs: number): number {
  const lead = Math.min(leadMs, (expiresAt - now) / 2);
  return Math.max(0, expiresAt - now - lead);
}

/**
 * Asks the tabs' refreshers in turn for a fresh token until `use` takes one. `use` returns false
 * to pass it (the next tab's is asked), anything else (awaited) to stop; a refresher that throws
 * or times out, or a `use` that throws, passes too.
 */
export async function askRefreshers(
  refreshers: Iterable<Refresher>,
  clock: Clock,
  use: (token: string) => unknown,
): Promise<void> {
  for (const refresher of refreshers) {
    try {
      // A tab that never answers (frozen, discarded) must not hold up the others.
      if ((await use(await withTimeout(refresher(), REFRESHER_TIMEOUT_MS, clock))) !== false) return;
    } catch {
      // That tab could not refresh (closed, offline, wrong user): try the next one.
    }
  }
}

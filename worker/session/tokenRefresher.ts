import type { Cancel, Clock } from "../../src/shared";
import { readClaims } from "./tokenClaims";
import { withTimeout } from "./withTimeout";

/** How long a tab's refresher may take before the next tab's is asked. */
export const REFRESHER_TIMEOUT_MS = 10_000;

/** A page-registered source of fresh tokens. */
export type Refresher = () => Promise<string>;

/** When to refresh a token that runs out at `expiresAt`: `leadMs` before, or halfway if sooner. */
export function refreshDelay(expiresAt: number, now: number, leadMs: number): number {
  const lead = Math.min(leadMs, (expiresAt - now) / 2);
  return Math.max(0, expiresAt - now - lead);
}

/** What the refresher needs of the session. */
export interface RefreshTarget {
  /** The login in flight (another user's, or a fresh token), which decides the session; or null. */
  loginInFlight(): Promise<unknown> | null;
  /** Changes at every login, logout and expiry: a refresh begun before one is moot. */
  epoch(): number;
  /** The user whose session this is (a refresher of another user is skipped). */
  holder(): string | null;
  /** When the token in use runs out, if one is in use and no login is in flight. */
  heldUntil(): number | null;
  login(token: string): Promise<unknown>;
}

/**
 * Refreshes the token before `exp` through the tabs' refreshers, one after the other until one
 * gives a token of the session's user that logs in. Never sees more of a token than it passes on.
 */
export class TokenRefresher {
  readonly #refreshers = new Map<string, Refresher>();
  #cancel: Cancel | null = null;
  #disposed = false;

  constructor(private readonly deps: { clock: Clock; leadMs: number; target: RefreshTarget }) {}

  /** Registers (or with null, removes) a tab's refresher. */
  set(tabId: string, refresher: Refresher | null): void {
    if (refresher) this.#refreshers.set(tabId, refresher);
    else this.#refreshers.delete(tabId);
  }

  /** Arms the refresh of a token that runs out at `expiresAt` (instead of any armed before). */
  arm(expiresAt: number): void {
    this.cancel();
    if (this.#disposed) return;
    const { clock, leadMs } = this.deps;
    this.#cancel = clock.setTimeout(() => void this.#refresh(), refreshDelay(expiresAt, clock.now(), leadMs));
  }

  cancel(): void {
    this.#cancel?.();
    this.#cancel = null;
  }

  /** Cancels the refresh for good: nothing is armed again. */
  dispose(): void {
    this.#disposed = true;
    this.cancel();
  }

  async #refresh(): Promise<void> {
    this.#cancel = null;
    const { clock, target } = this.deps;
    // A login in flight decides the session (another user's, or a fresh token): no refresh now,
    // but once it has settled, if the session still needs one.
    if (this.#later()) return;
    const epoch = target.epoch();
    for (const refresher of this.#refreshers.values()) {
      try {
        // A tab that never answers (frozen, discarded) must not hold up the others.
        const token = await withTimeout(refresher(), REFRESHER_TIMEOUT_MS, clock, "token refresher");
        if (this.#later() || epoch !== target.epoch()) return;
        const claims = readClaims(token, clock.now());
        // Only the user whose session this is: a tab's refresher of another user is skipped.
        const holder = target.holder();
        if (holder !== null && claims.sub !== holder) continue;
        await target.login(token);
        return;
      } catch {
        // That tab could not refresh (closed, offline, wrong user): try the next one.
      }
    }
  }

  /** Whether a login is in flight: if so, the refresh is armed again once it settled, if still due. */
  #later(): boolean {
    const login = this.deps.target.loginInFlight();
    if (!login) return false;
    void login
      .catch(() => {})
      .then(() => {
        const expiresAt = this.deps.target.heldUntil();
        if (expiresAt !== null) this.arm(expiresAt);
      });
    return true;
  }
}

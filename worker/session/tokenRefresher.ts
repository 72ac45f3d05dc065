import type { Cancel, Clock } from "../../src/shared";
import type { SessionMachine } from "./sessionMachine";
import { holderOf } from "./sessionPhase";
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
  /**
   * The session now: its epoch changes at every login, logout and expiry (a refresh begun before
   * one is moot); its holder is the user to refresh (a refresher of another user is skipped).
   */
  machine(): SessionMachine;
  /** The login in flight (another user's, or a fresh token), which decides the session; or null. */
  loginInFlight(): Promise<unknown> | null;
  login(token: string): Promise<unknown>;
}

/**
 * Refreshes the token before `exp` through the tabs' refreshers, one after the other until one
 * gives a token of the session's user that logs in. Never sees more of a token than it passes on.
 */
export class TokenRefresher {
  readonly #refreshers = new Map<string, Refresher>();
  #cancel: Cancel | undefined;
  #disposed = false;
  readonly #clock: Clock;
  readonly #leadMs: number;
  readonly #target: RefreshTarget;

  constructor(clock: Clock, leadMs: number, target: RefreshTarget) {
    this.#clock = clock;
    this.#leadMs = leadMs;
    this.#target = target;
  }

  /** Registers (or with null, removes) a tab's refresher. */
  set(tabId: string, refresher: Refresher | null): void {
    if (refresher) this.#refreshers.set(tabId, refresher);
    else this.#refreshers.delete(tabId);
  }

  /** Arms the refresh of a token that runs out at `expiresAt` (instead of any armed before). */
  arm(expiresAt: number): void {
    this.cancel();
    const clock = this.#clock;
    if (!this.#disposed)
      this.#cancel = clock.setTimeout(
        () => void this.#refresh(),
        refreshDelay(expiresAt, clock.now(), this.#leadMs),
      );
  }

  cancel(): void {
    this.#cancel?.();
  }

  /** Cancels the refresh for good: nothing is armed again. */
  dispose(): void {
    this.#disposed = true;
    this.cancel();
  }

  async #refresh(): Promise<void> {
    const target = this.#target;
    // A login in flight decides the session (another user's, or a fresh token): no refresh now,
    // but once it has settled, if the session still needs one.
    if (this.#later()) return;
    const { epoch } = target.machine();
    for (const refresher of this.#refreshers.values()) {
      try {
        // A tab that never answers (frozen, discarded) must not hold up the others.
        const token = await withTimeout(refresher(), REFRESHER_TIMEOUT_MS, this.#clock, "token refresher");
        const { phase, epoch: now } = target.machine();
        if (this.#later() || epoch !== now) return;
        const { sub } = readClaims(token, this.#clock.now());
        // Only the user whose session this is: a tab's refresher of another user is skipped.
        const holder = holderOf(phase);
        if (holder !== null && sub !== holder) continue;
        await target.login(token);
        return;
      } catch {
        // That tab could not refresh (closed, offline, wrong user): try the next one.
      }
    }
  }

  /** Whether a login is in flight: if so, the refresh is armed again once it settled, if still due. */
  #later(): boolean {
    const login = this.#target.loginInFlight();
    void login
      ?.catch(() => {})
      .then(() => {
        const { phase } = this.#target.machine();
        if (phase.name === "authenticated") this.arm(phase.held.session.expiresAt);
      });
    return login !== null;
  }
}

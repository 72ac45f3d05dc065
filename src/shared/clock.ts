/** Cancels a scheduled callback. Calling it twice is harmless. */
export type Cancel = () => void;

/** Time source and timers, injected so tests can drive time without sleeping. */
export interface Clock {
  /** ms since epoch */
  now(): number;
  setTimeout(callback: () => void, ms: number): Cancel;
}

/** Longest delay a timer accepts; longer waits are re-armed in steps. */
const MAX_DELAY = 2 ** 31 - 1;

/** The real clock (browser, worker or Node). Node timers are unref'd. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    let handle: ReturnType<typeof setTimeout>;
    const arm = (remaining: number) => {
      handle = setTimeout(
        () => (remaining > MAX_DELAY ? arm(remaining - MAX_DELAY) : callback()),
        Math.max(0, Math.min(remaining, MAX_DELAY)),
      );
      (handle as unknown as { unref?: () => void }).unref?.();
    };
    arm(ms);
    return () => clearTimeout(handle);
  },
};

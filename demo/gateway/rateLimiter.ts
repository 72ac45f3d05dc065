import type { Clock } from "./clock";

/** Token bucket: `perSecond` requests a second, bursts up to `perSecond`. */
export interface RateLimiter {
  /** Takes one token; false when the caller is over its rate. */
  take(): boolean;
}

export function createRateLimiter(perSecond: number, clock: Clock): RateLimiter {
  let tokens = perSecond;
  let last = clock.now();
  return {
    take() {
      const now = clock.now();
      tokens = Math.min(perSecond, tokens + ((now - last) * perSecond) / 1000);
      last = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}

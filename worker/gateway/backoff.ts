/**
 * socket.io-client's `Backoff` (its copy of backo2) for the worker build, replaced in by
 * vite.config.ts: attempt n (from 0) waits `min`·2ⁿ, moved by up to `jitter` of itself either way
 * (one coin for the way, one draw for how far), at most `max`, in whole ms. What the Manager
 * calls of it: `duration`, `reset`, `attempts`, and the setters of its options.
 */
export class Backoff {
  attempts = 0;
  ms: number;
  max: number;
  jitter: number;

  constructor(options: { min?: number; max?: number; jitter?: number } = {}) {
    this.ms = options.min || 100;
    this.max = options.max || 10_000;
    this.jitter = options.jitter! > 0 && options.jitter! <= 1 ? options.jitter! : 0;
  }

  duration(): number {
    const ms = this.ms * 2 ** this.attempts++;
    const deviation = Math.floor(Math.random() * this.jitter * ms);
    return Math.min(Math.random() < 0.5 ? ms - deviation : ms + deviation, this.max) | 0;
  }

  reset(): void {
    this.attempts = 0;
  }

  setMin(min: number): void {
    this.ms = min;
  }

  setMax(max: number): void {
    this.max = max;
  }

  setJitter(jitter: number): void {
    this.jitter = jitter;
  }
}

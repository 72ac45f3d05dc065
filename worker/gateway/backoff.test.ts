import { afterEach, describe, expect, it, vi } from "vitest";
// The backoff it stands in for in the worker build (vite.config.ts).
import { Backoff as Original } from "../../node_modules/socket.io-client/build/esm/contrib/backo2.js";
import { Backoff } from "./backoff";

interface AnyBackoff {
  attempts: number;
  duration(): number;
  reset(): void;
  setMin(v: number): void;
  setMax(v: number): void;
  setJitter(v: number): void;
}

/** Durations of a script of calls, with Math.random giving `draws` in turn. */
function durations(make: (o: object) => AnyBackoff, draws: number[]): number[] {
  let at = 0;
  vi.spyOn(Math, "random").mockImplementation(() => draws[at++ % draws.length]!);
  const seen: number[] = [];
  // The worker's settings: firstDelayMs 1000 → min 500, full jitter, max 30 s.
  const b = make({ min: 500, max: 30_000, jitter: 1 });
  for (let i = 0; i < 9; i++) seen.push(b.duration());
  seen.push(b.attempts);
  b.reset();
  seen.push(b.attempts, b.duration());
  b.setMin(100);
  b.setMax(1_000);
  b.setJitter(0.5);
  for (let i = 0; i < 5; i++) seen.push(b.duration());
  b.setJitter(0);
  seen.push(b.duration());
  // Defaults, and a jitter out of range (none).
  const d = make({ jitter: 2 });
  seen.push(d.duration(), d.duration());
  vi.restoreAllMocks();
  return seen;
}

afterEach(() => vi.restoreAllMocks());

describe("backoff: socket.io-client's reconnection delays for the worker build", () => {
  it("gives the original's delays for the same draws", () => {
    const draws = [0.05, 0.75, 0.25, 0.99, 0.01, 0.38];
    const theirs = durations((o) => new (Original as unknown as new (o: object) => AnyBackoff)(o), draws);
    // backo2 draws once: how far is the draw, the way is the parity of its first decimal (even:
    // down). This one draws how far, then the way (below 0.5: down): the same draw, then a coin
    // that falls the same way.
    const coin = (r: number) => ((Math.floor(r * 10) & 1) === 0 ? 0.1 : 0.9);
    const ours = durations(
      (o) => new Backoff(o),
      draws.flatMap((r) => [r, coin(r)]),
    );
    expect(ours).toEqual(theirs);
  });

  it("full jitter: attempt n within [0, 2·min·2ⁿ], capped at max", () => {
    const b = new Backoff({ min: 500, max: 30_000, jitter: 1 });
    for (let n = 0; n < 12; n++) {
      const d = b.duration();
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(2 * 500 * 2 ** n, 30_000));
    }
  });
});

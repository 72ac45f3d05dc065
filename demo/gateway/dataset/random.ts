/** A small deterministic pseudo-random number generator and helpers built on it. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number;
  /** A uniformly chosen element; throws on an empty array. */
  pick<T>(arr: readonly T[]): T;
  /** `true` with probability `p`. */
  chance(p: number): boolean;
  /**
   * A snowflake-like id: a 17–19 digit string. Ids from one generator never repeat within
   * its first 2^20 calls (a counter fills the low bits); the high bits are random, so ids
   * from different generators collide only with negligible probability.
   */
  snowflake(): string;
}

const TWO_POW_32 = 0x1_0000_0000;
const SNOWFLAKE_BASE = 10n ** 16n;
const COUNTER_BITS = 20n;
const COUNTER_MASK = (1 << 20) - 1;

/**
 * Creates a mulberry32 PRNG seeded with `seed` (any number; only its low 32 bits count).
 * Same seed, same sequence.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  let counter = 0;

  const uint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };

  const next = (): number => uint32() / TWO_POW_32;

  const int = (min: number, maxInclusive: number): number => {
    if (maxInclusive < min) throw new RangeError(`int(${min}, ${maxInclusive}): empty range`);
    return min + Math.floor(next() * (maxInclusive - min + 1));
  };

  const pick = <T>(arr: readonly T[]): T => {
    if (arr.length === 0) throw new RangeError("pick() from an empty array");
    return arr[int(0, arr.length - 1)] as T;
  };

  const chance = (p: number): boolean => next() < p;

  const snowflake = (): string => {
    // 42 random bits above a 20-bit counter: < 2^62 ≈ 4.6e18, so base + value has 17–19 digits.
    const high = BigInt(uint32() >>> 11); // 21 bits
    const low = BigInt(uint32() >>> 11); // 21 bits
    const random = (high << 21n) | low;
    const value = (random << COUNTER_BITS) | BigInt(counter & COUNTER_MASK);
    counter += 1;
    return (SNOWFLAKE_BASE + value).toString();
  };

  return { next, int, pick, chance, snowflake };
}

/** A shuffled copy of `arr` (Fisher–Yates, driven by `rng`). */
export function shuffled<T>(rng: Random, arr: readonly T[]): T[] {
  const out = arr.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

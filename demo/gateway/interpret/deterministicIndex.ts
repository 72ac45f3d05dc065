/**
 * A 32-bit hash of a string: FNV-1a over its UTF-16 code units, finished with the
 * MurmurHash3 `fmix32` avalanche so that nearby seeds ("…:1", "…:2") spread evenly.
 * The mock bot's only source of "randomness": same seed, same value.
 */
export function hash32(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A deterministic pseudo-random integer in `[0, size)` derived from `seed`
 * (for example the message id plus what is being drawn).
 * @throws {RangeError} when `size` is not a positive safe integer.
 */
export function deterministicIndex(seed: string, size: number): number {
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new RangeError(`size must be a positive integer, got ${size}`);
  }
  return hash32(seed) % size;
}

import type { Random } from "./random";

/** `length` random lowercase hex digits. */
export function randomHex(rng: Random, length: number): string {
  let out = "";
  while (out.length < length) out += rng.int(0, 0xffffffff).toString(16).padStart(8, "0");
  return out.slice(0, length);
}

/** An avatar hash (32 hex digits), or null for roughly one user in four. */
export function randomAvatar(rng: Random): string | null {
  return rng.chance(0.25) ? null : randomHex(rng, 32);
}

/** A 4-digit Discord discriminator ("0042"). */
export function randomDiscriminator(rng: Random): string {
  return String(rng.int(1, 9999)).padStart(4, "0");
}

/** A `#rrggbb` colour. */
export function randomColor(rng: Random): string {
  return `#${randomHex(rng, 6)}`;
}

/** A Discord permission bitfield as a decimal string (may exceed 2^53). */
export function randomDiscordPermissions(rng: Random): string {
  const high = BigInt(rng.int(0, 0x1ff));
  const low = BigInt(rng.int(0, 0x7fffffff)) * 2n + BigInt(rng.int(0, 1));
  return ((high << 32n) | low).toString();
}

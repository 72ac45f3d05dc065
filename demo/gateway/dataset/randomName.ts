import type { Random } from "./random";
import { NAME_SEPARATORS, NAME_SUFFIX_WORDS, NAME_SYLLABLES } from "./vocabulary";

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** A pronounceable word of 2–3 syllables ("karami", "Zenlo"). */
function randomWord(rng: Random): string {
  const count = rng.chance(0.6) ? 2 : 3;
  let word = "";
  for (let i = 0; i < count; i++) word += rng.pick(NAME_SYLLABLES);
  return rng.chance(0.5) ? capitalize(word) : word;
}

/**
 * A member/user name made of syllables, sometimes with a second word or digits after a
 * space, `_` or `-` ("kara_moon", "Velrik-dev", "Miro Tan", "zenlo42"). Names built from the
 * same syllables share prefixes, which makes fuzzy member search meaningful.
 */
export function randomName(rng: Random): string {
  const base = randomWord(rng);
  const roll = rng.next();
  if (roll < 0.3) {
    const separator = rng.pick(NAME_SEPARATORS);
    const suffix = rng.pick(NAME_SUFFIX_WORDS);
    return base + separator + (separator === " " ? capitalize(suffix) : suffix);
  }
  if (roll < 0.42) return base + String(rng.int(1, 999));
  return base;
}

/** A nickname: a fresh name, or a decorated variant of `name`. */
export function randomNick(rng: Random, name: string): string {
  const roll = rng.next();
  if (roll < 0.25) return `${name} ✨`;
  if (roll < 0.4) return `${capitalize(name)} (${rng.pick(NAME_SUFFIX_WORDS)})`;
  return randomName(rng);
}

/**
 * A {@link randomName} not in `taken` (compared case-insensitively), like Discord's unique
 * usernames: on a clash, digits are appended. Records the result in `taken`.
 */
export function randomUniqueName(rng: Random, taken: Set<string>): string {
  let name = randomName(rng);
  while (taken.has(name.toLowerCase())) name = `${name}${rng.int(0, 9)}`;
  taken.add(name.toLowerCase());
  return name;
}

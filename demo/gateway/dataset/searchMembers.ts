import type { Member } from "../../../src/protocol";

/** Match tiers, best (lowest) first. */
const Tier = { EXACT: 0, PREFIX: 1, WORD_START: 2, SUBSTRING: 3, SUBSEQUENCE: 4, NONE: 5 } as const;
type Tier = (typeof Tier)[keyof typeof Tier];

interface Hit {
  member: Member;
  tier: Tier;
  /** Length of the field that gave the tier. */
  length: number;
}

const isWordBoundary = (ch: string | undefined): boolean => ch === " " || ch === "_" || ch === "-";

/** How well lowercase `field` matches lowercase `query`. */
function tierOf(field: string, query: string): Tier {
  if (field === query) return Tier.EXACT;
  if (field.startsWith(query)) return Tier.PREFIX;
  let at = field.indexOf(query, 1);
  if (at !== -1) {
    for (; at !== -1; at = field.indexOf(query, at + 1)) {
      if (isWordBoundary(field[at - 1])) return Tier.WORD_START;
    }
    return Tier.SUBSTRING;
  }
  let q = 0;
  for (let i = 0; i < field.length && q < query.length; i++) {
    if (field[i] === query[q]) q++;
  }
  return q === query.length ? Tier.SUBSEQUENCE : Tier.NONE;
}

/** Snowflakes in numeric order: shorter first, then lexicographic. */
const compareIds = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

/** Negative when `a` ranks before `b`. */
const compareHits = (a: Hit, b: Hit): number =>
  a.tier - b.tier || a.length - b.length || compareIds(a.member.id, b.member.id);

/**
 * Fuzzy search over members' `name` and `nick`, case-insensitive, best first, at most
 * `limit` results. Tiers: exact match of name or nick; prefix; word start (after a space,
 * `_` or `-`); substring; subsequence (all query characters in order). Within a tier the
 * shorter matched field ranks first, then the lower id. Non-matching members are left
 * out; an empty or whitespace-only query finds nothing. One pass that keeps only the best
 * `limit` hits, so it stays fast on tens of thousands of members.
 */
export function searchMembers(members: Iterable<Member>, query: string, limit: number): Member[] {
  const q = query.trim().toLowerCase();
  const max = Math.floor(limit);
  if (q.length === 0 || !(max > 0)) return [];
  const best: Hit[] = []; // sorted, at most `max` long
  for (const member of members) {
    let tier = tierOf(member.name.toLowerCase(), q);
    let length = member.name.length;
    if (member.nick !== null && tier !== Tier.EXACT) {
      const nickTier = tierOf(member.nick.toLowerCase(), q);
      if (nickTier < tier || (nickTier === tier && member.nick.length < length)) {
        tier = nickTier;
        length = member.nick.length;
      }
    }
    if (tier === Tier.NONE) continue;
    const hit: Hit = { member, tier, length };
    const worst = best[best.length - 1];
    if (best.length === max && worst !== undefined && compareHits(hit, worst) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareHits(best[mid] as Hit, hit) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, hit);
    if (best.length > max) best.pop();
  }
  return best.map((h) => h.member);
}

/** Percentile (0–100) of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Lost and duplicated seqs of what one tab received, against the seqs that were published. */
export function delivery(received: readonly number[], from: number, to: number) {
  const seen = new Set<number>();
  let duplicated = 0;
  for (const seq of received) {
    if (seen.has(seq)) duplicated++;
    seen.add(seq);
  }
  let lost = 0;
  for (let seq = from; seq <= to; seq++) if (!seen.has(seq)) lost++;
  return { lost, duplicated };
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Whether `seq` lies in one of the gaps a log stream announced: after a gap's `afterSeq` and
 * before its `untilSeq` (an open end where unknown).
 */
export function inGap(
  seq: number,
  gaps: readonly { afterSeq: number | null; untilSeq: number | null }[],
): boolean {
  return gaps.some((g) => seq > (g.afterSeq ?? -Infinity) && seq < (g.untilSeq ?? Infinity));
}

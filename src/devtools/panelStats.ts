import type { RateSample } from "./panelModel";

/** The `p`-th percentile (0–100, nearest rank) of `values`, or null for none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** "p50 3 · p95 12 · p99 40 ms" of latencies, or "none yet". */
export function latencySummary(values: readonly number[]): string {
  if (values.length === 0) return "none yet";
  const at = (p: number) => Math.round(percentile(values, p)!);
  return `p50 ${at(50)} · p95 ${at(95)} · p99 ${at(99)} ms (${values.length} batches)`;
}

/** Entries per second between consecutive samples (one fewer than the samples). */
export function ratesOf(samples: readonly RateSample[]): number[] {
  const rates: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const seconds = (b.at - a.at) / 1000;
    rates.push(seconds > 0 ? (b.entries - a.entries) / seconds : 0);
  }
  return rates;
}

/**
 * The points of a sparkline of `values` in a `width`×`height` box (SVG `points`), the largest
 * value at the top; an empty string for fewer than two values.
 */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length < 2) return "";
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`)
    .join(" ");
}

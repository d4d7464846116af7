/**
 * Small exact statistics over plain arrays, for the analyzer (which works on exported metric
 * lists of at most a few thousand values; the aggregator has its own streaming versions).
 */

/** Arithmetic mean; 0 for an empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population standard deviation (divides by n), two-pass for stability; 0 below two values. */
export function populationStdDev(values: readonly number[], m = mean(values)): number {
  if (values.length < 2) return 0;
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return Math.sqrt(ss / values.length);
}

/** Median of an ascending-sorted list (mean of the middle two for even lengths); 0 when empty. */
export function medianOfSorted(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median without touching the input. */
export function median(values: readonly number[]): number {
  return medianOfSorted([...values].sort((a, b) => a - b));
}

/** Median absolute deviation from `center`. */
export function medianAbsoluteDeviation(values: readonly number[], center: number): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** Mean absolute deviation from `center` (the fallback scale when the MAD is 0). */
export function meanAbsoluteDeviation(values: readonly number[], center: number): number {
  return mean(values.map((v) => Math.abs(v - center)));
}

/** Nearest-rank percentile (`p` from 0 to 100) of a list, exact, without touching the input; NaN when
 *  empty. For small lists (the aggregator's percentiles come from its sketches). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

import type { MergedRange } from './metric-series';

/** Observations of one SLO key: how many there were and how many met the threshold. */
export interface SloCounts {
  threshold: number;
  total: number;
  /** Values ≤ threshold. From a sketch: exact except for the one bin (values within ±1 % of the
   *  threshold) that straddles it, which is split in proportion on the log scale. */
  good: number;
}

/** SLO counts of a merged range, using the exact min/max where they decide it outright. */
export function sloCountsOf(range: MergedRange, threshold: number): SloCounts | undefined {
  const { stats, sketch } = range;
  if (stats.count === 0 || sketch === undefined) return undefined;
  let good: number;
  if (threshold >= stats.max) good = stats.count;
  else if (threshold < stats.min) good = 0;
  else good = Math.min(stats.count, sketch.countAtOrBelow(threshold));
  return { threshold, total: stats.count, good };
}

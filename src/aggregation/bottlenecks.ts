import type { AggregationWindow, MetricType } from '../types/metric-type';
import type { MergedRange } from './metric-series';

/** One time MetricType's tail over a window, as getBottlenecks() reports it. */
export interface Bottleneck {
  metricType: MetricType;
  window: AggregationWindow;
  /** The requested percentile of the type's values (ms): the tail starts here. */
  threshold: number;
  thresholdPercentile: number;
  /** Observations in the window. */
  count: number;
  /** Observations certainly above the threshold (in sketch bins wholly above it). */
  exceedingCount: number;
  /** Observations at or above the threshold (to within the sketch's ±1 %). */
  atOrAboveCount: number;
  /** Estimated total ms of the observations at or above the threshold (±1 %); the sort key. */
  timeAboveThresholdMs: number;
  /** Exact total ms of all observations of the type in the window. */
  totalTimeMs: number;
  /** timeAboveThresholdMs as a percent of totalTimeMs. */
  percentOfTypeTime: number;
  mean: number;
  p50: number;
  max: number;
}

/**
 * The tail of one type at `percentile`. Time above the threshold is estimated from the sketch:
 * Σ over the bins at or above the threshold's bin of (bin count × bin value). Each bin's value is
 * within ±α of every value in it, so the estimate is within ±α (1 %) of the true time. When the
 * threshold is the minimum (e.g. most values are 0), the whole exact sum is used.
 */
export function bottleneckOf(
  metricType: MetricType,
  window: AggregationWindow,
  range: MergedRange,
  percentile: number,
): Bottleneck | undefined {
  const { stats, sketch } = range;
  if (stats.count === 0 || sketch === undefined) return undefined;
  const threshold = sketch.percentile(percentile, stats.min, stats.max);
  const tail = sketch.tailAtOrAbove(threshold);
  const wholeSet = threshold <= stats.min;
  const timeAbove = wholeSet ? stats.sum : Math.min(tail.sum, stats.sum);
  return {
    metricType,
    window,
    threshold,
    thresholdPercentile: percentile,
    count: stats.count,
    exceedingCount: tail.strictCount,
    atOrAboveCount: wholeSet ? stats.count : tail.count,
    timeAboveThresholdMs: timeAbove,
    totalTimeMs: stats.sum,
    percentOfTypeTime: stats.sum > 0 ? (100 * timeAbove) / stats.sum : 0,
    mean: stats.sum / stats.count,
    p50: sketch.percentile(50, stats.min, stats.max),
    max: stats.max,
  };
}

/** Largest time above threshold first; ties by metric type for a stable order. */
export function rankBottlenecks(list: Bottleneck[]): Bottleneck[] {
  return list.sort(
    (a, b) => b.timeAboveThresholdMs - a.timeAboveThresholdMs || (a.metricType < b.metricType ? -1 : a.metricType > b.metricType ? 1 : 0),
  );
}

import type { AggregationWindow, MetricType } from '../types/metric-type';
import type { MergedRange } from './metric-series';

/**
 * Statistics of one MetricType over one window. count, sum, mean, min, max and stdDev are exact;
 * p50–p99 are nearest-rank percentiles from a DDSketch, within ±1 % (relativeAccuracy) of the
 * exact value.
 */
export interface AggregatedMetrics {
  metricType: MetricType;
  window: AggregationWindow;
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  /** Population standard deviation (divides by count). */
  stdDev: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  /** First timestamp the window includes (epoch ms, inclusive; see docs/aggregation.md, "Window edges"). */
  windowStartMs: number;
  /** The aggregator's clock when the result was computed (epoch ms). */
  asOfMs: number;
}

/** Builds the public result from a merged range; undefined when the range is empty. */
export function toAggregatedMetrics(
  metricType: MetricType,
  window: AggregationWindow,
  range: MergedRange,
  windowStartMs: number,
  asOfMs: number,
): AggregatedMetrics | undefined {
  const { stats, sketch } = range;
  if (stats.count === 0 || sketch === undefined) return undefined;
  const { min, max } = stats;
  return {
    metricType,
    window,
    count: stats.count,
    sum: stats.sum,
    mean: stats.sum / stats.count,
    min,
    max,
    stdDev: stats.stdDev,
    p50: sketch.percentile(50, min, max),
    p90: sketch.percentile(90, min, max),
    p95: sketch.percentile(95, min, max),
    p99: sketch.percentile(99, min, max),
    windowStartMs,
    asOfMs,
  };
}

/** Direction of a metric between two consecutive windows. */
export type Trend = 'improving' | 'stable' | 'degrading';

/** When a change counts as a trend, as fractions of the previous window's p95. */
export interface TrendThresholds {
  /** p95 rising by more than this fraction is `degrading` (0.1 = +10 %). */
  degrading: number;
  /** p95 falling by more than this fraction is `improving` (0.1 = −10 %). */
  improving: number;
}

/** The default bands (±10 % of the previous p95): the aggregator's options and the report's trends. */
export const DEFAULT_TREND_THRESHOLDS: Readonly<TrendThresholds> = Object.freeze({ degrading: 0.1, improving: 0.1 });

/**
 * Classifies the change from `previous` to `current` (p95 values; larger is worse for every
 * MetricType: latency, memory, pool usage). Within the band [−improving, +degrading] of the
 * previous value is `stable`; from 0 to anything above 0 is `degrading`.
 */
export function classifyTrend(current: number, previous: number, t: TrendThresholds): Trend {
  if (previous === 0) return current > 0 ? 'degrading' : 'stable';
  const change = (current - previous) / previous;
  if (change > t.degrading) return 'degrading';
  if (change < -t.improving) return 'improving';
  return 'stable';
}

/** The numbers behind one trend, for callers that want more than the label. */
export interface TrendDetail {
  trend: Trend;
  /** p95 of the last FIVE_MINUTES window. */
  currentP95: number;
  /** p95 of the FIVE_MINUTES window before it. */
  previousP95: number;
  /** Relative change in percent (Infinity-free: 0 → x reports 100). */
  changePercent: number;
  currentCount: number;
  previousCount: number;
}

/** Relative change in percent; a rise from 0 reports 100, 0 → 0 reports 0. */
export function changePercent(current: number, previous: number): number {
  if (previous === 0) return current > 0 ? 100 : 0;
  return ((current - previous) / previous) * 100;
}

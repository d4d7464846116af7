import { describeForLog } from '../internal/sanitize';
import type { SloCounts } from '../aggregation/slo-counts';
import { AggregationWindow, isMetricType, type PerformanceMetric } from '../types/metric-type';
import { groupByType } from './metric-input';

/** Anything that can count SLO outcomes itself, such as a MetricsAggregator (from its sketches). */
export interface SloCountSource {
  getSloCounts(thresholds: Record<string, number>, window?: AggregationWindow): Record<string, SloCounts>;
}

/** Error budget of one SLO: target percent of observations ≤ threshold. */
export interface ErrorBudget {
  metricType: string;
  threshold: number;
  targetPercent: number;
  compliancePercent: number;
  total: number;
  /** Observations ≤ threshold. */
  good: number;
  /** Observations > threshold. */
  bad: number;
  /** Bad observations the target allows: total × (1 − target/100). */
  allowedBad: number;
  /** Share of the budget left: 100 × (1 − bad / allowedBad). Negative when overspent. */
  budgetRemainingPercent: number;
  /** True when compliancePercent ≥ targetPercent. */
  met: boolean;
}

/**
 * Per threshold key that is a MetricType value with data: how many observations there are and
 * how many are ≤ the threshold. From a metric list the counts are exact; from a source (an
 * aggregator) they come from its sketches over `window`. Keys that are not MetricType values are
 * ignored; a threshold that is not a finite number ≥ 0 throws (it is configuration).
 */
export function sloCounts(
  source: readonly PerformanceMetric[] | SloCountSource,
  thresholds: Record<string, number>,
  window: AggregationWindow = AggregationWindow.HOUR,
): Record<string, SloCounts> {
  validateThresholds(thresholds);
  if (!Array.isArray(source) && source !== null && typeof source === 'object' && typeof (source as SloCountSource).getSloCounts === 'function') {
    return (source as SloCountSource).getSloCounts(thresholds, window);
  }
  const groups = groupByType(source as readonly PerformanceMetric[]);
  const out: Record<string, SloCounts> = {};
  for (const [key, threshold] of Object.entries(thresholds)) {
    if (!isMetricType(key)) continue;
    const list = groups.get(key);
    if (!list || list.length === 0) continue;
    let good = 0;
    for (const o of list) if (o.value <= threshold) good++;
    out[key] = { threshold, total: list.length, good };
  }
  return out;
}

/** Percent of observations ≤ threshold per key. */
export function complianceFromCounts(counts: Record<string, SloCounts>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, c] of Object.entries(counts)) if (c.total > 0) out[key] = (100 * c.good) / c.total;
  return out;
}

/** Error budget per key for a target such as 99 (percent of observations within the threshold). */
export function errorBudgetsFromCounts(counts: Record<string, SloCounts>, targetPercent: number): Record<string, ErrorBudget> {
  if (typeof targetPercent !== 'number' || !(targetPercent > 0 && targetPercent < 100)) {
    throw new RangeError(
      `agent-timing: targetPercent must be a number strictly between 0 and 100 (e.g. 99; a 100 % target has no budget), got ${describeForLog(targetPercent)}`,
    );
  }
  const out: Record<string, ErrorBudget> = {};
  for (const [key, c] of Object.entries(counts)) {
    if (c.total <= 0) continue;
    const bad = c.total - c.good;
    const allowedBad = c.total * (1 - targetPercent / 100);
    const compliancePercent = (100 * c.good) / c.total;
    out[key] = {
      metricType: key,
      threshold: c.threshold,
      targetPercent,
      compliancePercent,
      total: c.total,
      good: c.good,
      bad,
      allowedBad,
      budgetRemainingPercent: 100 * (1 - bad / allowedBad),
      met: compliancePercent >= targetPercent,
    };
  }
  return out;
}

function validateThresholds(thresholds: Record<string, number>): void {
  if (thresholds === null || typeof thresholds !== 'object') {
    throw new TypeError('agent-timing: SLO thresholds must be an object of MetricType value → milliseconds');
  }
  for (const [key, t] of Object.entries(thresholds)) {
    if (typeof t !== 'number' || !(t >= 0) || t === Infinity) {
      throw new RangeError(`agent-timing: SLO threshold for "${key}" must be a finite number ≥ 0, got ${describeForLog(t)}`);
    }
  }
}

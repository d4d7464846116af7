import { describeForLog } from '../internal/sanitize';
import type { AggregatedMetrics } from '../aggregation/aggregated-metrics';
import { reportDrop } from '../internal/diag';
import type { TimingBreakdown, TimingBreakdownData } from '../breakdown/timing-breakdown';
import { AggregationWindow, type PerformanceMetric } from '../types/metric-type';
import { averageBreakdown } from './aggregate-breakdown';
import { detectAnomalies, type Anomaly, type AnomalyOptions } from './anomaly-detection';
import { categoryShares, efficiencyOf, type CategoryShare } from './breakdown-shares';
import { DEFAULT_RECOMMENDATION_THRESHOLDS, recommend, type RecommendationThresholds } from './recommendations';
import { complianceFromCounts, errorBudgetsFromCounts, sloCounts, type ErrorBudget, type SloCountSource } from './slo-compliance';
import { readingInput } from '../internal/guard';

/** Options of `new PerformanceAnalyzer(options)`. */
export interface PerformanceAnalyzerOptions {
  /** When a category earns a recommendation (percent of totalMs; TTFT in ms). Defaults in DEFAULT_RECOMMENDATION_THRESHOLDS. */
  recommendationThresholds?: Partial<RecommendationThresholds>;
}

/** What analyzeTimingBreakdown() returns. */
export interface BreakdownAnalysis {
  /** b.calculateEfficiency(): 0–100, share of wall-clock time not spent queued or in overhead. */
  efficiencyScore: number;
  /** Categories with time (overhead and uncategorized included), largest first. */
  bottlenecks: CategoryShare[];
  /** Specific actions for the dominant categories, largest first; empty when nothing dominates. */
  recommendations: string[];
}

/** Options of the SLO methods when the source is an aggregator. */
export interface SloOptions {
  /** Window the aggregator evaluates. Default AggregationWindow.HOUR. Ignored for metric lists. */
  window?: AggregationWindow;
}

function thresholdsOf(options: PerformanceAnalyzerOptions): RecommendationThresholds {
  const o: PerformanceAnalyzerOptions = options !== null && typeof options === 'object' ? options : {};
  const custom = o.recommendationThresholds ?? {};
  for (const [key, v] of Object.entries(custom)) {
    if (!(key in DEFAULT_RECOMMENDATION_THRESHOLDS)) {
      throw new RangeError(`agent-timing: unknown recommendation threshold ${describeForLog(key)}; known: ${Object.keys(DEFAULT_RECOMMENDATION_THRESHOLDS).join(', ')}`);
    }
    if (typeof v !== 'number' || !(v >= 0) || v === Infinity) {
      throw new RangeError(`agent-timing: recommendation threshold ${describeForLog(key)} must be a finite number ≥ 0, got ${describeForLog(v)}`);
    }
  }
  return { ...DEFAULT_RECOMMENDATION_THRESHOLDS, ...custom };
}

function windowOf(options: SloOptions | undefined): AggregationWindow {
  return (options !== null && typeof options === 'object' ? options.window : undefined) ?? AggregationWindow.HOUR;
}

/**
 * Turns breakdowns, metric lists and aggregates into findings: where an execution's time went and
 * what to do about it, which observations are anomalous, and how SLOs are doing. Works on
 * exported metrics (exact) and on a MetricsAggregator (from its sketches) alike; never mutates
 * its input, and empty input gives empty results, never NaN.
 */
export class PerformanceAnalyzer {
  private readonly thresholds: RecommendationThresholds;

  constructor(options: PerformanceAnalyzerOptions = {}) {
    this.thresholds = readingInput('new PerformanceAnalyzer()', () => thresholdsOf(options));
  }

  /** Efficiency score, categories by share of total (with ms and percent), and recommendations. */
  analyzeTimingBreakdown(breakdown: TimingBreakdown | TimingBreakdownData): BreakdownAnalysis {
    if (breakdown === null || typeof breakdown !== 'object') {
      reportDrop('analysis-invalid-input', 'analyzeTimingBreakdown() needs a TimingBreakdown; got something else, analysed as empty');
      return { efficiencyScore: 100, bottlenecks: [], recommendations: [] };
    }
    return readingInput('analyzeTimingBreakdown()', () => {
      const shares = categoryShares(breakdown);
      return {
        efficiencyScore: efficiencyOf(breakdown),
        bottlenecks: shares,
        recommendations: recommend(breakdown, shares, this.thresholds),
      };
    });
  }

  /**
   * The same analysis on a window's aggregates (e.g. `aggregator.getPerformanceSummary().currentMetrics`),
   * through an average execution (see averageBreakdown). Undefined without TOTAL_EXECUTION data.
   */
  analyzeAggregates(aggregates: Record<string, AggregatedMetrics> | readonly AggregatedMetrics[]): BreakdownAnalysis | undefined {
    const avg = averageBreakdown(aggregates);
    return avg && this.analyzeTimingBreakdown(avg);
  }

  /** Anomalous observations per MetricType (z-score, or robust median/MAD), most extreme first. */
  detectAnomalies(metrics: readonly PerformanceMetric[], options?: AnomalyOptions): Anomaly[] {
    return readingInput('detectAnomalies()', () => detectAnomalies(metrics, options));
  }

  /**
   * Percent of observations ≤ threshold, keyed by MetricType value (`'time_to_first_token'`, …).
   * From a metric list: exact. From an aggregator: from its sketches over `options.window`.
   * Types without data are left out.
   */
  calculateSloCompliance(
    metrics: readonly PerformanceMetric[] | SloCountSource,
    sloThresholds: Record<string, number>,
    options: SloOptions = {},
  ): Record<string, number> {
    return readingInput('calculateSloCompliance()', () => complianceFromCounts(sloCounts(metrics, sloThresholds, windowOf(options))));
  }

  /**
   * Error budget left per SLO for a target such as 99 (percent within threshold): compliance,
   * good/bad counts, the bad observations the target allows and the share of that still unspent.
   */
  calculateErrorBudget(
    metrics: readonly PerformanceMetric[] | SloCountSource,
    sloThresholds: Record<string, number>,
    targetPercent: number,
    options: SloOptions = {},
  ): Record<string, ErrorBudget> {
    return readingInput('calculateErrorBudget()', () => errorBudgetsFromCounts(sloCounts(metrics, sloThresholds, windowOf(options)), targetPercent));
  }
}

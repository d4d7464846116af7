import { describeForLog } from '../internal/sanitize';
import type { AggregatedMetrics } from '../aggregation/aggregated-metrics';
import type { MetricType, PerformanceMetric } from '../types/metric-type';
import { groupByType, type Observation } from './metric-input';
import { mean, meanAbsoluteDeviation, median, medianAbsoluteDeviation, populationStdDev } from './statistics';

/**
 * 'zscore': distance from the type's mean in standard deviations. 'robust': the modified z-score
 * 0.6745 · (x − median) / MAD (Iglewicz & Hoaglin), which one huge outlier cannot hide from —
 * with ten values, a single outlier's plain z-score can never exceed (n − 1)/√n = 2.85, because the
 * outlier inflates the very deviation it is measured with.
 */
export type AnomalyMode = 'zscore' | 'robust';

/** Options of detectAnomalies(). */
export interface AnomalyOptions {
  /** |zScore| above this is an anomaly. Default 3 (Iglewicz & Hoaglin suggest 3.5 for 'robust'). */
  zThreshold?: number;
  /** Scoring method. Default 'zscore'. */
  mode?: AnomalyMode;
  /** Fewest values of a type needed to score it (without a baseline). Default 3. */
  minSamples?: number;
  /**
   * Score against aggregates instead of the list itself ('zscore' mode only): per MetricType in
   * the baseline, its mean and stdDev (e.g. getAggregatedMetrics(type, HOUR)) are the reference.
   */
  baseline?: AggregatedMetrics | readonly AggregatedMetrics[];
}

/** One anomalous observation. */
export interface Anomaly {
  metricType: MetricType;
  value: number;
  /** 'zscore': the mean of the reference. 'robust': the median. */
  mean: number;
  /** 'zscore': the population standard deviation. 'robust': the robust scale MAD / 0.6745 (≈ σ for normal data). */
  stdDev: number;
  /** (value − mean) / stdDev in both modes; signed (negative = unusually fast/small). */
  zScore: number;
  timestamp: number;
  executionId?: string;
  agentName?: string;
  mode: AnomalyMode;
}

/** Consistency constant of the MAD for normal data (Φ⁻¹(0.75)). */
const MAD_TO_SIGMA = 0.6745;
/** Mean absolute deviation → σ for normal data (√(π/2)), used when the MAD is 0. */
const MEAN_AD_TO_SIGMA = 1.253314;

/**
 * Per MetricType, the observations whose |zScore| exceeds zThreshold, most extreme first. Types
 * with fewer than minSamples values, or no spread at all, have no anomalies. Never mutates input.
 */
export function detectAnomalies(metrics: readonly PerformanceMetric[], options: AnomalyOptions = {}): Anomaly[] {
  const zThreshold = options.zThreshold ?? 3;
  const mode = options.mode ?? 'zscore';
  const minSamples = options.minSamples ?? 3;
  if (typeof zThreshold !== 'number' || !(zThreshold > 0) || zThreshold === Infinity) {
    throw new RangeError(`agent-timing: zThreshold must be a finite number > 0, got ${describeForLog(zThreshold)}`);
  }
  if (mode !== 'zscore' && mode !== 'robust') {
    throw new RangeError(`agent-timing: mode must be 'zscore' or 'robust', got ${describeForLog(mode)}`);
  }
  if (!Number.isInteger(minSamples) || minSamples < 2) {
    throw new RangeError(`agent-timing: minSamples must be an integer ≥ 2, got ${describeForLog(minSamples)}`);
  }
  if (options.baseline !== undefined && mode !== 'zscore') {
    throw new RangeError("agent-timing: a baseline gives mean and stdDev, so it works with mode 'zscore' only");
  }
  const baselines = baselineByType(options.baseline);
  const out: Anomaly[] = [];
  for (const [type, observations] of groupByType(metrics)) {
    const ref = reference(type, observations, mode, minSamples, baselines);
    if (!ref) continue;
    for (const o of observations) {
      const z = (o.value - ref.center) / ref.scale;
      if (Math.abs(z) <= zThreshold) continue;
      const a: Anomaly = { metricType: type, value: o.value, mean: ref.center, stdDev: ref.scale, zScore: z, timestamp: o.timestamp, mode };
      if (o.executionId !== undefined) a.executionId = o.executionId;
      if (o.agentName !== undefined) a.agentName = o.agentName;
      out.push(a);
    }
  }
  return out.sort((a, b) => Math.abs(b.zScore) - Math.abs(a.zScore) || a.timestamp - b.timestamp);
}

/** Center and scale a type's values are measured against; undefined when they cannot be scored. */
function reference(
  type: MetricType,
  observations: readonly Observation[],
  mode: AnomalyMode,
  minSamples: number,
  baselines: ReadonlyMap<string, AggregatedMetrics>,
): { center: number; scale: number } | undefined {
  const base = baselines.get(type);
  if (base) {
    return base.count >= 2 && base.stdDev > 0 && Number.isFinite(base.mean) ? { center: base.mean, scale: base.stdDev } : undefined;
  }
  if (observations.length < minSamples) return undefined;
  const values = observations.map((o) => o.value);
  if (mode === 'zscore') {
    const m = mean(values);
    const sd = populationStdDev(values, m);
    return sd > 0 ? { center: m, scale: sd } : undefined;
  }
  const med = median(values);
  const mad = medianAbsoluteDeviation(values, med);
  if (mad > 0) return { center: med, scale: mad / MAD_TO_SIGMA };
  // More than half the values are identical: the MAD is 0, so fall back to the mean absolute deviation.
  const meanAd = meanAbsoluteDeviation(values, med);
  return meanAd > 0 ? { center: med, scale: MEAN_AD_TO_SIGMA * meanAd } : undefined;
}

function baselineByType(baseline: AnomalyOptions['baseline']): Map<string, AggregatedMetrics> {
  const map = new Map<string, AggregatedMetrics>();
  if (baseline === undefined) return map;
  const list = Array.isArray(baseline) ? (baseline as readonly AggregatedMetrics[]) : [baseline as AggregatedMetrics];
  for (const b of list) if (b && typeof b === 'object' && typeof b.metricType === 'string') map.set(b.metricType, b);
  return map;
}

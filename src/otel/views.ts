import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { bucketPlan } from './buckets';
import { METRIC_EXECUTION_DURATION, METRIC_PHASE_DURATION, METRIC_TTFT } from './names';

/** Options of agentTimingViews(). */
export interface AgentTimingViewsOptions {
  /** SLO thresholds in ms keyed by MetricType value; each becomes an exact bucket boundary.
   *  The guide's three objectives are always included. */
  sloThresholdsMs?: Record<string, number>;
  /** Most attribute sets (series) per histogram before the SDK folds the rest into its overflow
   *  series (`otel.metric.overflow=true`). Default 2000: 100 agents × 9 categories × 2 outcomes. */
  cardinalityLimit?: number;
}

/**
 * Views giving agent-timing's three histograms their explicit bucket boundaries (seconds) and a
 * cardinality limit. Pass them to your MeterProvider (`new MeterProvider({ views })` or NodeSDK's
 * `views`) when you configure OpenTelemetry yourself; startAgentTelemetry() does it for you.
 */
export function agentTimingViews(options: AgentTimingViewsOptions = {}): ViewOptions[] {
  const limit = options.cardinalityLimit ?? 2000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`agent-timing: cardinalityLimit must be a positive integer, got ${String(options.cardinalityLimit)}`);
  }
  validateSloThresholds(options.sloThresholdsMs);
  const plan = bucketPlan(options.sloThresholdsMs);
  const view = (instrumentName: string, boundaries: number[]): ViewOptions => ({
    instrumentName,
    aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries } },
    aggregationCardinalityLimit: limit,
  });
  return [
    view(METRIC_EXECUTION_DURATION, plan.execution),
    view(METRIC_PHASE_DURATION, plan.phase),
    view(METRIC_TTFT, plan.ttft),
  ];
}

/** Throws a clear error for thresholds that are not positive finite milliseconds. */
export function validateSloThresholds(slo: unknown): void {
  if (slo === undefined) return;
  if (slo === null || typeof slo !== 'object' || Array.isArray(slo)) {
    throw new TypeError('agent-timing: sloThresholdsMs must be an object such as { time_to_first_token: 1000 }');
  }
  for (const [key, ms] of Object.entries(slo)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
      throw new RangeError(`agent-timing: sloThresholdsMs.${key} must be a positive number of milliseconds, got ${String(ms)}`);
    }
  }
}

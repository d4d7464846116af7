import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { bucketPlan, histogramSpecs } from './buckets';

/** Options of agentTimingViews(). */
export interface AgentTimingViewsOptions {
  /** SLO thresholds in ms keyed by MetricType value; each becomes an exact bucket boundary.
   *  The guide's three objectives are always included. */
  sloThresholdsMs?: Record<string, number>;
  /** Most attribute sets (series) per histogram before the SDK folds the rest into its overflow
   *  series (`otel.metric.overflow=true`). Default 2000: 100 agents × 9 categories × 2 outcomes. */
  cardinalityLimit?: number;
  /** Base-2 exponential histograms instead of explicit buckets (for OTLP backends and the
   *  Collector → Prometheus native-histogram path; see docs/fleet.md). Default false: the
   *  Prometheus text format has no exponential histograms, and the SLO rules select explicit
   *  `le` boundaries. */
  exponentialHistograms?: boolean;
  /** Most buckets per exponential histogram (OTel's maxSize). Default 160 (OTel's default): a
   *  scale that keeps 1 ms – 60 s at about 4.5 % relative error. */
  exponentialMaxSize?: number;
}

/**
 * Views giving agent-timing's histograms their bucket boundaries (seconds) and a cardinality
 * limit. Pass them to your MeterProvider (`new MeterProvider({ views })` or NodeSDK's `views`)
 * when you configure OpenTelemetry yourself; startAgentTelemetry() does it for you.
 */
export function agentTimingViews(options: AgentTimingViewsOptions = {}): ViewOptions[] {
  const limit = options.cardinalityLimit ?? 2000;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`agent-timing: cardinalityLimit must be a positive integer, got ${String(options.cardinalityLimit)}`);
  }
  const maxSize = options.exponentialMaxSize ?? 160;
  if (!Number.isInteger(maxSize) || maxSize < 2) {
    throw new RangeError(`agent-timing: exponentialMaxSize must be an integer ≥ 2, got ${String(options.exponentialMaxSize)}`);
  }
  validateSloThresholds(options.sloThresholdsMs);
  const specs = histogramSpecs(bucketPlan(options.sloThresholdsMs));
  return Object.values(specs).map(({ name, boundaries }) => ({
    instrumentName: name,
    aggregation: options.exponentialHistograms
      ? { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize, recordMinMax: true } }
      : { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [...boundaries] } },
    aggregationCardinalityLimit: limit,
  }));
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

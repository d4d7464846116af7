import { DEFAULT_TREND_THRESHOLDS } from './trend';
import type { MetricIdentityTracking } from './dedupe-ledger';

/** Options of `new MetricsAggregator(options)`. Every field is optional. */
export interface MetricsAggregatorOptions {
  /** History kept, hours. Default 24. Rounded up to whole hours (retention is hour-aligned). */
  retentionHours?: number;
  /** Clock, epoch ms. Default `Date.now`. Tests inject one to drive windows deterministically. */
  now?: () => number;
  /** Furthest into the future (vs the clock) a metric's timestamp may be, ms. Default 60 000; at most 3 600 000. */
  maxFutureSkewMs?: number;
  /** Raw metrics kept for exportMetrics(), newest kept. Default 10 000; 0 keeps none. */
  maxExportedMetrics?: number;
  /** Executions remembered for exactly-once accounting (least recently updated evicted). Default 10 000. */
  maxTrackedExecutions?: number;
  /** Which metric objects the identity check remembers. Default 'withExecutionId' (see docs/aggregation.md, "Exactly once"). */
  metricIdentityTracking?: MetricIdentityTracking;
  /** Relative accuracy of percentiles, fraction. Default 0.01 (±1 %); between 0.0001 and 0.1. */
  relativeAccuracy?: number;
  /** Most sketch bins per slot before the lowest collapse. Default 1024 (~8 KB worst case per slot). */
  maxBinsPerSlot?: number;
  /** p95 rise (fraction of the previous window's) above which a trend is 'degrading'. Default 0.1. */
  trendDegradingThreshold?: number;
  /** p95 fall (fraction of the previous window's) beyond which a trend is 'improving'. Default 0.1. */
  trendImprovingThreshold?: number;
  /** Fewest observations each FIVE_MINUTES window needs before a trend is reported. Default 1. */
  trendMinSamples?: number;
  /** Most distinct resource names kept for the summary's resourceUtilization. Default 16. */
  maxResourceKeys?: number;
}

/** Options with every default filled in and validated. */
export interface ResolvedAggregatorOptions {
  retentionSlots: number;
  now: () => number;
  maxFutureSkewMs: number;
  maxExportedMetrics: number;
  maxTrackedExecutions: number;
  metricIdentityTracking: MetricIdentityTracking;
  relativeAccuracy: number;
  maxBinsPerSlot: number;
  trendDegradingThreshold: number;
  trendImprovingThreshold: number;
  trendMinSamples: number;
  maxResourceKeys: number;
}

const IDENTITY_MODES: readonly MetricIdentityTracking[] = ['withExecutionId', 'all', 'none'];

/** Fills defaults and throws a clear Error for a bad option (configuration errors are the only throws). */
export function resolveAggregatorOptions(options: MetricsAggregatorOptions | undefined): ResolvedAggregatorOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`agent-timing: MetricsAggregator options must be an object, got ${describe(options)}`);
  }
  const o = options ?? {};
  const retentionHours = num(o.retentionHours, 24, 'retentionHours', 'a number of hours > 0, e.g. 24', (v) => v > 0 && v <= 24 * 366);
  const now = o.now ?? Date.now;
  if (typeof now !== 'function') {
    throw new TypeError(`agent-timing: MetricsAggregator option now must be a function returning epoch ms, got ${describe(now)}`);
  }
  const mode = o.metricIdentityTracking ?? 'withExecutionId';
  if (!IDENTITY_MODES.includes(mode)) {
    throw new RangeError(
      `agent-timing: MetricsAggregator option metricIdentityTracking must be one of ${IDENTITY_MODES.join(', ')}, got ${describe(mode)}`,
    );
  }
  return {
    retentionSlots: Math.ceil(retentionHours),
    now,
    maxFutureSkewMs: num(o.maxFutureSkewMs, 60_000, 'maxFutureSkewMs', 'milliseconds between 0 and 3600000', (v) => v >= 0 && v <= 3_600_000),
    maxExportedMetrics: int(o.maxExportedMetrics, 10_000, 'maxExportedMetrics', 10_000_000),
    maxTrackedExecutions: int(o.maxTrackedExecutions, 10_000, 'maxTrackedExecutions', 10_000_000),
    metricIdentityTracking: mode,
    relativeAccuracy: num(o.relativeAccuracy, 0.01, 'relativeAccuracy', 'a fraction between 0.0001 and 0.1, e.g. 0.01', (v) => v >= 0.0001 && v <= 0.1),
    maxBinsPerSlot: int(o.maxBinsPerSlot, 1024, 'maxBinsPerSlot', 65_536, 16),
    trendDegradingThreshold: num(o.trendDegradingThreshold, DEFAULT_TREND_THRESHOLDS.degrading, 'trendDegradingThreshold', 'a fraction ≥ 0, e.g. 0.1', (v) => v >= 0),
    trendImprovingThreshold: num(o.trendImprovingThreshold, DEFAULT_TREND_THRESHOLDS.improving, 'trendImprovingThreshold', 'a fraction between 0 and 1, e.g. 0.1', (v) => v >= 0 && v <= 1),
    trendMinSamples: int(o.trendMinSamples, 1, 'trendMinSamples', Number.MAX_SAFE_INTEGER, 1),
    maxResourceKeys: int(o.maxResourceKeys, 16, 'maxResourceKeys', 1024),
  };
}

function num(v: unknown, dflt: number, name: string, expected: string, ok: (v: number) => boolean): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
    throw new RangeError(`agent-timing: MetricsAggregator option ${name} must be ${expected}; got ${describe(v)}`);
  }
  return v;
}

function int(v: unknown, dflt: number, name: string, max: number, min = 0): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`agent-timing: MetricsAggregator option ${name} must be an integer between ${min} and ${max}; got ${describe(v)}`);
  }
  return v;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'function') return 'a function';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : String(v);
}

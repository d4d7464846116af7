import fc from 'fast-check';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { getDropCounts } from '../../src/internal/diag';
import { resetForTests } from '../../src/setup/reset-for-tests';
import type { TimingBreakdown } from '../../src/breakdown/timing-breakdown';
import { AggregationWindow, MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import { breakdown, ManualClock, metric, NOON } from './support';

const LLM = MetricType.LLM_PROCESSING;
const W = AggregationWindow.HOUR;

beforeEach(() => resetForTests());

function setup(options: ConstructorParameters<typeof MetricsAggregator>[0] = {}) {
  return new MetricsAggregator({ now: new ManualClock(NOON).now, ...options });
}

/** Total observations recorded across every type (via the export buffer's window count). */
function recorded(a: MetricsAggregator): number {
  return a.exportMetrics(AggregationWindow.WEEK).length;
}

describe('bad input on record paths: dropped, counted, never thrown', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'aggregator-invalid-metric'],
    ['a number', 42, 'aggregator-invalid-metric'],
    ['a string', 'llm_processing', 'aggregator-invalid-metric'],
    ['an unknown type', { metricType: 'warp_speed', value: 1, timestamp: NOON }, 'aggregator-unknown-metric-type'],
    ['a type that is not a string', { metricType: 7, value: 1, timestamp: NOON }, 'aggregator-unknown-metric-type'],
    ['NaN', { metricType: LLM, value: Number.NaN, timestamp: NOON }, 'aggregator-invalid-value'],
    ['Infinity', { metricType: LLM, value: Infinity, timestamp: NOON }, 'aggregator-invalid-value'],
    ['-Infinity', { metricType: LLM, value: -Infinity, timestamp: NOON }, 'aggregator-invalid-value'],
    ['a negative value', { metricType: LLM, value: -1, timestamp: NOON }, 'aggregator-invalid-value'],
    ['a string value', { metricType: LLM, value: '5', timestamp: NOON }, 'aggregator-invalid-value'],
    ['a NaN timestamp', { metricType: LLM, value: 1, timestamp: Number.NaN }, 'aggregator-invalid-timestamp'],
    ['an infinite timestamp', { metricType: LLM, value: 1, timestamp: Infinity }, 'aggregator-invalid-timestamp'],
    ['a missing timestamp', { metricType: LLM, value: 1 }, 'aggregator-invalid-timestamp'],
    ['a Date timestamp', { metricType: LLM, value: 1, timestamp: new Date(NOON) }, 'aggregator-invalid-timestamp'],
    ['timestamp 0', { metricType: LLM, value: 1, timestamp: 0 }, 'aggregator-too-old'],
  ])('addMetric(%s)', (_name, input, kind) => {
    const a = setup();
    expect(() => a.addMetric(input as PerformanceMetric)).not.toThrow();
    expect(getDropCounts()[kind]).toBe(1);
    expect(recorded(a)).toBe(0);
  });

  it('addMetric with a throwing getter', () => {
    const a = setup();
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    expect(() => a.addMetric(hostile as PerformanceMetric)).not.toThrow();
    expect(getDropCounts()['aggregator-unreadable-input']).toBe(1);
  });

  it('each kind is logged once and counted every time', () => {
    const a = setup();
    for (let i = 0; i < 5; i++) a.addMetric(metric(LLM, -1, NOON));
    expect(getDropCounts()['aggregator-invalid-value']).toBe(5);
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'aggregator-invalid-breakdown'],
    ['a string', 'breakdown', 'aggregator-invalid-breakdown'],
    ['NaN totalMs', { totalMs: Number.NaN }, 'aggregator-invalid-breakdown'],
    ['negative totalMs', { totalMs: -5 }, 'aggregator-invalid-breakdown'],
    ['missing totalMs', { executionId: 'x' }, 'aggregator-invalid-breakdown'],
  ])('addTimingBreakdown(%s)', (_name, input, kind) => {
    const a = setup();
    expect(() => a.addTimingBreakdown(input as TimingBreakdown)).not.toThrow();
    expect(getDropCounts()[kind]).toBe(1);
    expect(recorded(a)).toBe(0);
  });

  it('a breakdown with one bad category keeps the others', () => {
    const a = setup();
    const b = breakdown({ executionId: 'e', startedAt: NOON - 1000, totalMs: 100, llmProcessingMs: 60 });
    (b as unknown as Record<string, unknown>).databaseQueryMs = Number.NaN;
    (b as unknown as Record<string, unknown>).ttftMs = -3;
    a.addTimingBreakdown(b);
    expect(getDropCounts()['aggregator-invalid-breakdown-field']).toBe(2);
    expect(a.getAggregatedMetrics(MetricType.DATABASE_QUERY, W)).toBeUndefined();
    expect(a.getAggregatedMetrics(MetricType.TTFT, W)).toBeUndefined();
    expect(a.getAggregatedMetrics(LLM, W)?.sum).toBe(60);
    expect(recorded(a)).toBe(7); // total + 6 valid categories
  });

  it('a breakdown from beyond the future skew or before retention is dropped whole', () => {
    const a = setup();
    a.addTimingBreakdown(breakdown({ executionId: 'f', startedAt: NOON + 3_600_000, totalMs: 10 }));
    a.addTimingBreakdown(breakdown({ executionId: 'o', startedAt: NOON - 48 * 3_600_000, totalMs: 10 }));
    expect(getDropCounts()['aggregator-future-timestamp']).toBe(1);
    expect(getDropCounts()['aggregator-too-old']).toBe(1);
    expect(recorded(a)).toBe(0);
  });

  it('recordResourceUtilization drops bad readings one by one', () => {
    const a = setup({ maxResourceKeys: 2 });
    expect(() => a.recordResourceUtilization(null as unknown as Record<string, number>)).not.toThrow();
    a.recordResourceUtilization({ cpuPercent: Number.NaN, memoryMb: 512, threadCount: -1 });
    a.recordResourceUtilization({ a: 1, b: 2 }); // memoryMb + a fill the two keys; b is one too many
    a.recordResourceUtilization({ cpuPercent: 5 }, Number.NaN);
    expect(getDropCounts()['aggregator-invalid-resource']).toBe(1);
    expect(getDropCounts()['aggregator-invalid-resource-value']).toBe(2);
    expect(getDropCounts()['aggregator-resource-key-limit']).toBe(1);
    expect(getDropCounts()['aggregator-invalid-timestamp']).toBe(1);
    expect(a.getPerformanceSummary().resourceUtilization).toEqual({ memoryMb: 512, a: 1 });
  });

  it('a clock returning garbage falls back to Date.now() and is reported', () => {
    const a = new MetricsAggregator({ now: () => Number.NaN });
    a.addMetric(metric(LLM, 1, Date.now()));
    expect(getDropCounts()['aggregator-invalid-clock']).toBeGreaterThanOrEqual(1);
    expect(a.getAggregatedMetrics(LLM, AggregationWindow.MINUTE)?.count).toBe(1);
  });

  it('never throws and never records garbage (property)', () => {
    const a = setup();
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.anything(), (x, y, z) => {
        a.addMetric(x as PerformanceMetric);
        a.addMetric({ metricType: LLM, value: y, timestamp: z } as PerformanceMetric);
        a.addTimingBreakdown(x as TimingBreakdown);
        a.addTimingBreakdown({ totalMs: y, startedAt: z } as unknown as TimingBreakdown);
        a.recordResourceUtilization(x as Record<string, number>, y as number);
      }),
      { numRuns: 300 },
    );
    for (const m of a.exportMetrics(AggregationWindow.WEEK)) {
      expect(Number.isFinite(m.value) && m.value >= 0).toBe(true);
      expect(Number.isFinite(m.timestamp)).toBe(true);
    }
    const summary = a.getPerformanceSummary();
    for (const agg of Object.values(summary.currentMetrics)) for (const v of Object.values(agg)) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
  });

  it('does not mutate its input (frozen metrics and breakdowns are accepted as they are)', () => {
    const a = setup();
    const m = Object.freeze({ ...metric(LLM, -0, NOON, { executionId: 'x' }), metadata: Object.freeze({ k: 'v' }) });
    const b = Object.freeze(breakdown({ executionId: 'y', startedAt: NOON, totalMs: 10 }));
    const before = JSON.stringify([m, b]);
    a.addMetric(m as PerformanceMetric);
    a.addTimingBreakdown(b);
    expect(JSON.stringify([m, b])).toBe(before);
    expect(getDropCounts()['aggregator-unreadable-input']).toBeUndefined();
    expect(a.getAggregatedMetrics(LLM, W)?.count).toBe(2);
    expect(Object.is(a.getAggregatedMetrics(LLM, W)?.min, -0)).toBe(false); // −0 is recorded as 0
  });
});

describe('empty input: empty results, never NaN', () => {
  it('queries on an empty aggregator', () => {
    const a = setup();
    expect(a.getAggregatedMetrics(LLM, W)).toBeUndefined();
    expect(a.getAggregatedMetrics('nope' as MetricType, W)).toBeUndefined();
    expect(a.getPerformanceSummary()).toEqual({ currentMetrics: {}, trends: {}, trendDetails: {}, resourceUtilization: {} });
    expect(a.getBottlenecks()).toEqual([]);
    expect(a.getSloCompliance({ [LLM]: 100 })).toEqual({});
    expect(a.exportMetrics(W)).toEqual([]);
    expect(a.lastExportTruncated).toBe(false);
    expect(a.clearOldMetrics()).toBe(0);
  });

  it('query arguments that are not usable throw RangeError (they are programming errors, not data)', () => {
    const a = setup();
    expect(() => a.getBottlenecks(0)).toThrow(RangeError);
    expect(() => a.getBottlenecks(101)).toThrow(/thresholdPercentile/);
    expect(() => a.getSloCompliance({ [LLM]: -1 })).toThrow(/threshold for "llm_processing"/);
  });
});

describe('constructor options', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['retentionHours 0', { retentionHours: 0 }, /retentionHours must be a number of hours > 0.*got 0/],
    ['retentionHours negative', { retentionHours: -3 }, /retentionHours/],
    ['retentionHours NaN', { retentionHours: Number.NaN }, /retentionHours.*got NaN/],
    ['retentionHours as a string', { retentionHours: '24' }, /retentionHours.*got "24"/],
    ['now not a function', { now: 5 }, /option now must be a function/],
    ['maxFutureSkewMs too large', { maxFutureSkewMs: 7_200_000 }, /maxFutureSkewMs/],
    ['maxExportedMetrics fractional', { maxExportedMetrics: 1.5 }, /maxExportedMetrics must be an integer/],
    ['maxTrackedExecutions negative', { maxTrackedExecutions: -1 }, /maxTrackedExecutions/],
    ['relativeAccuracy 0.5', { relativeAccuracy: 0.5 }, /relativeAccuracy/],
    ['maxBinsPerSlot 4', { maxBinsPerSlot: 4 }, /maxBinsPerSlot must be an integer between 16/],
    ['trendDegradingThreshold negative', { trendDegradingThreshold: -0.1 }, /trendDegradingThreshold/],
    ['trendMinSamples 0', { trendMinSamples: 0 }, /trendMinSamples/],
    ['metricIdentityTracking unknown', { metricIdentityTracking: 'sometimes' }, /metricIdentityTracking must be one of/],
  ])('%s throws a clear error naming the option', (_name, options, message) => {
    expect(() => new MetricsAggregator(options as never)).toThrow(message);
  });

  it('options must be an object', () => {
    expect(() => new MetricsAggregator(42 as never)).toThrow(/options must be an object/);
  });
});

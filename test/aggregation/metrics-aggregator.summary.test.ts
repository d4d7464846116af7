import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { exactPercentile, logNormal, ManualClock, metric, MINUTE, NOON, relErr, SECOND } from './support';

const { LLM_PROCESSING: LLM, DATABASE_QUERY: DB, TOOL_EXECUTION: TOOL, TTFT, MEMORY_USAGE, THREAD_POOL_USAGE } = MetricType;

beforeEach(() => resetForTests());

/** Clock at 12:00:05: the last FIVE_MINUTES window starts 11:55:10, the one before 11:50:10. */
function setup(options: ConstructorParameters<typeof MetricsAggregator>[0] = {}) {
  const clock = new ManualClock(NOON + 5 * SECOND);
  return { clock, aggregator: new MetricsAggregator({ now: clock.now, ...options }) };
}
const CURRENT = NOON - 2 * MINUTE; // inside the last five minutes
const PREVIOUS = NOON - 7 * MINUTE; // inside the five minutes before

function series(a: MetricsAggregator, type: MetricType, at: number, values: readonly number[]): void {
  values.forEach((v, i) => a.addMetric(metric(type, v, at + i)));
}

describe('getPerformanceSummary', () => {
  it('trends compare p95 of the last five minutes with the five before: ±10 % is stable', () => {
    const { aggregator } = setup();
    const flat = Array.from({ length: 100 }, () => 100);
    series(aggregator, LLM, PREVIOUS, flat);
    series(aggregator, LLM, CURRENT, flat.map(() => 130)); // +30 %
    series(aggregator, DB, PREVIOUS, flat);
    series(aggregator, DB, CURRENT, flat.map(() => 108)); // +8 %
    series(aggregator, TOOL, PREVIOUS, flat);
    series(aggregator, TOOL, CURRENT, flat.map(() => 70)); // −30 %
    series(aggregator, TTFT, CURRENT, flat); // no previous data: no trend
    const s = aggregator.getPerformanceSummary();
    expect(s.trends).toEqual({ [LLM]: 'degrading', [DB]: 'stable', [TOOL]: 'improving' });
    expect(s.trendDetails[LLM]).toMatchObject({ currentCount: 100, previousCount: 100 });
    expect(s.trendDetails[LLM].changePercent).toBeCloseTo(30, 0);
    expect(Object.keys(s.currentMetrics).sort()).toEqual([DB, LLM, TOOL, TTFT].sort());
    expect(s.currentMetrics[LLM]).toMatchObject({ metricType: LLM, window: AggregationWindow.FIVE_MINUTES, count: 100, mean: 130 });
  });

  it('the trend is decided on p95, not on the mean', () => {
    const { aggregator } = setup();
    const base = Array.from({ length: 100 }, (_, i) => (i < 90 ? 100 : 1000));
    series(aggregator, LLM, PREVIOUS, base);
    // Same mean-ish body, but the slow tail doubled: p95 goes 1000 → 2000.
    series(aggregator, LLM, CURRENT, base.map((v) => (v === 1000 ? 2000 : 50)));
    expect(aggregator.getPerformanceSummary().trends[LLM]).toBe('degrading');
  });

  it('trend thresholds and minimum samples are configurable', () => {
    const { aggregator } = setup({ trendDegradingThreshold: 0.5, trendImprovingThreshold: 0.05, trendMinSamples: 10 });
    series(aggregator, LLM, PREVIOUS, Array(20).fill(100));
    series(aggregator, LLM, CURRENT, Array(20).fill(140)); // +40 % < 50 %
    series(aggregator, DB, PREVIOUS, Array(20).fill(100));
    series(aggregator, DB, CURRENT, Array(20).fill(94)); // −6 % beyond 5 %
    series(aggregator, TOOL, PREVIOUS, Array(5).fill(100)); // too few samples
    series(aggregator, TOOL, CURRENT, Array(20).fill(500));
    expect(aggregator.getPerformanceSummary().trends).toEqual({ [LLM]: 'stable', [DB]: 'improving' });
  });

  it('a rise from 0 is degrading; 0 to 0 is stable', () => {
    const { aggregator } = setup();
    series(aggregator, MetricType.QUEUE_WAIT, PREVIOUS, [0, 0, 0]);
    series(aggregator, MetricType.QUEUE_WAIT, CURRENT, [0, 0, 40]);
    series(aggregator, MetricType.INITIALIZATION, PREVIOUS, [0]);
    series(aggregator, MetricType.INITIALIZATION, CURRENT, [0]);
    expect(aggregator.getPerformanceSummary().trends).toEqual({ [MetricType.QUEUE_WAIT]: 'degrading', [MetricType.INITIALIZATION]: 'stable' });
  });

  it('resourceUtilization holds the latest readings, from records and from MEMORY_USAGE / THREAD_POOL_USAGE metrics', () => {
    const { aggregator } = setup();
    aggregator.recordResourceUtilization({ cpuPercent: 35, memoryMb: 400, threadCount: 12, eventLoopUtilizationPercent: 20 }, NOON - 10 * SECOND);
    aggregator.addMetric(metric(MEMORY_USAGE, 512, NOON));
    aggregator.addMetric(metric(MEMORY_USAGE, 300, NOON - 60 * SECOND)); // late: older than the 512 reading
    aggregator.addMetric(metric(THREAD_POOL_USAGE, 75, NOON));
    aggregator.recordResourceUtilization({ cpuPercent: 50 }); // at the clock's now
    expect(aggregator.getPerformanceSummary().resourceUtilization).toEqual({
      cpuPercent: 50,
      memoryMb: 512,
      threadCount: 12,
      eventLoopUtilizationPercent: 20,
      threadPoolPercent: 75,
    });
    // MEMORY_USAGE metrics are observations too.
    expect(aggregator.getAggregatedMetrics(MEMORY_USAGE, AggregationWindow.FIVE_MINUTES)?.count).toBe(2);
  });
});

describe('getBottlenecks', () => {
  it('ranks time types by the time spent at or above their threshold percentile', () => {
    const { aggregator } = setup();
    const data: Record<string, number[]> = {
      [DB]: Array.from({ length: 2000 }, (_, i) => 1 + (i % 100)), // many short calls
      [LLM]: Array.from({ length: 500 }, (_, i) => 100 + ((i * 7) % 900)), // fewer, long
      [TOOL]: [...Array(99).fill(10), 100_000], // one pathological call
    };
    for (const [type, values] of Object.entries(data)) series(aggregator, type as MetricType, CURRENT, values);
    aggregator.addMetric(metric(MEMORY_USAGE, 1e9, CURRENT)); // not a time type: never a bottleneck

    const result = aggregator.getBottlenecks(95);
    expect(result.map((b) => b.metricType)).toEqual([TOOL, LLM, DB]);
    for (const b of result) {
      const sorted = [...data[b.metricType]].sort((x, y) => x - y);
      const exactThreshold = exactPercentile(sorted, 95);
      expect(relErr(b.threshold, exactThreshold)).toBeLessThanOrEqual(0.01);
      expect(b.count).toBe(sorted.length);
      expect(b.totalTimeMs).toBe(sorted.reduce((x, y) => x + y, 0));
      // The estimator covers the values ≥ threshold to within the ±1 % bin around it.
      const lo = sorted.filter((v) => v >= exactThreshold * 1.0202).reduce((x, y) => x + y, 0);
      const hi = sorted.filter((v) => v >= exactThreshold / 1.0202).reduce((x, y) => x + y, 0);
      expect(b.timeAboveThresholdMs).toBeGreaterThanOrEqual(lo * 0.99);
      expect(b.timeAboveThresholdMs).toBeLessThanOrEqual(hi * 1.01);
      expect(b.exceedingCount).toBeLessThanOrEqual(sorted.filter((v) => v > exactThreshold).length);
      expect(b.percentOfTypeTime).toBeGreaterThan(0);
      expect(b.percentOfTypeTime).toBeLessThanOrEqual(100);
    }
    expect(result[0].exceedingCount).toBe(1);
  });

  it('uses the HOUR window by default and honours another window', () => {
    const { aggregator } = setup();
    aggregator.addMetric(metric(LLM, 500, NOON - 30 * MINUTE));
    aggregator.addMetric(metric(DB, 5, NOON - 30 * SECOND));
    expect(aggregator.getBottlenecks().map((b) => b.metricType)).toEqual([LLM, DB]);
    expect(aggregator.getBottlenecks(90, { window: AggregationWindow.MINUTE }).map((b) => b.metricType)).toEqual([DB]);
  });
});

describe('getSloCompliance (from the sketches)', () => {
  it('matches the exact share of values ≤ threshold to within the bin that straddles it', () => {
    const { aggregator } = setup();
    const values = logNormal(20_000, 700, 0.8, 77);
    values.forEach((v, i) => aggregator.addMetric(metric(TTFT, v, NOON - (i % 3000) * SECOND)));
    for (const threshold of [300, 1000, 2500]) {
      const exact = (100 * values.filter((v) => v <= threshold).length) / values.length;
      const got = aggregator.getSloCompliance({ [TTFT]: threshold })[TTFT];
      expect(Math.abs(got - exact)).toBeLessThan(0.5);
    }
    expect(aggregator.getSloCompliance({ [TTFT]: 1e9, unknown_key: 5, [DB]: 100 })).toEqual({ [TTFT]: 100 });
    expect(aggregator.getSloCompliance({ [TTFT]: 0 })[TTFT]).toBe(0);
  });
});

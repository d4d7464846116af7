import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { HOUR, ManualClock, metric, MINUTE, NOON, SECOND } from './support';

const LLM = MetricType.LLM_PROCESSING;
const DB = MetricType.DATABASE_QUERY;

beforeEach(() => resetForTests());

function setup(options: ConstructorParameters<typeof MetricsAggregator>[0] = {}) {
  const clock = new ManualClock(NOON);
  return { clock, aggregator: new MetricsAggregator({ now: clock.now, ...options }) };
}

describe('exportMetrics', () => {
  it('returns the window’s raw metrics, oldest first and newest last, whatever the arrival order', () => {
    const { aggregator } = setup();
    aggregator.addMetric(metric(LLM, 3, NOON - 1 * SECOND, { executionId: 'c', agentName: 'a' }));
    aggregator.addMetric(metric(DB, 1, NOON - 3 * SECOND));
    aggregator.addMetric(metric(LLM, 2, NOON - 2 * SECOND));
    aggregator.addMetric(metric(LLM, 0, NOON - 2 * HOUR)); // outside HOUR
    const out = aggregator.exportMetrics(AggregationWindow.HOUR);
    expect(out.map((m) => m.value)).toEqual([1, 2, 3]);
    expect(out[2]).toEqual({ metricType: LLM, value: 3, timestamp: NOON - SECOND, executionId: 'c', agentName: 'a' });
    expect(aggregator.exportMetrics(AggregationWindow.DAY)).toHaveLength(4);
    expect(aggregator.lastExportTruncated).toBe(false);
  });

  it('is bounded by maxExportedMetrics and says when a window was truncated', () => {
    const { aggregator } = setup({ maxExportedMetrics: 5 });
    for (let i = 0; i < 8; i++) aggregator.addMetric(metric(LLM, i, NOON - (8 - i) * MINUTE)); // 11:52 … 11:59
    const hour = aggregator.exportMetrics(AggregationWindow.HOUR);
    expect(hour.map((m) => m.value)).toEqual([3, 4, 5, 6, 7]);
    expect(aggregator.lastExportTruncated).toBe(true);
    expect(aggregator.lastExportOmitted).toBe(3);
    // The FIVE_MINUTES window (from 11:55:10) only holds entries the buffer still has.
    expect(aggregator.exportMetrics(AggregationWindow.FIVE_MINUTES).map((m) => m.value)).toEqual([4, 5, 6, 7]);
    expect(aggregator.lastExportTruncated).toBe(false);
    expect(aggregator.lastExportOmitted).toBe(0);
  });

  it('keeps the newest by arrival: a late metric evicts the oldest arrival, not the oldest timestamp', () => {
    const { aggregator } = setup({ maxExportedMetrics: 3 });
    aggregator.addMetric(metric(LLM, 1, NOON - 1000));
    aggregator.addMetric(metric(LLM, 2, NOON - 900));
    aggregator.addMetric(metric(LLM, 3, NOON - 800));
    aggregator.addMetric(metric(LLM, 4, NOON - 30 * MINUTE)); // late
    expect(aggregator.exportMetrics(AggregationWindow.HOUR).map((m) => m.value)).toEqual([4, 2, 3]);
    expect(aggregator.lastExportOmitted).toBe(1);
  });

  it('maxExportedMetrics: 0 keeps nothing and reports every window as truncated', () => {
    const { aggregator } = setup({ maxExportedMetrics: 0 });
    aggregator.addMetric(metric(LLM, 1, NOON));
    expect(aggregator.exportMetrics(AggregationWindow.MINUTE)).toEqual([]);
    expect(aggregator.lastExportTruncated).toBe(true);
    expect(aggregator.getAggregatedMetrics(LLM, AggregationWindow.MINUTE)?.count).toBe(1);
  });

  it('returns JSON-safe copies that share nothing with the input or with each other', () => {
    const { aggregator } = setup();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const metadata = { big: 10n, when: new Date(NOON), fn: () => 1, nan: Number.NaN, nested: { list: [1, undefined, 'x'] }, cyclic };
    const input = metric(LLM, 5, NOON, { metadata });
    aggregator.addMetric(input);
    const [out] = aggregator.exportMetrics(AggregationWindow.MINUTE);
    expect(out.metadata).toEqual({
      big: '10',
      when: new Date(NOON).toISOString(),
      nan: null,
      nested: { list: [1, null, 'x'] },
      cyclic: { name: 'loop', self: '[Circular]' },
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    (out.metadata as Record<string, unknown>).big = 'changed';
    out.value = 99;
    expect(aggregator.exportMetrics(AggregationWindow.MINUTE)[0]).toMatchObject({ value: 5, metadata: { big: '10' } });
    expect(metadata.big).toBe(10n);
    expect(input.value).toBe(5);
  });

  it('drops entries past retention as the clock moves', () => {
    const { clock, aggregator } = setup({ retentionHours: 1 });
    aggregator.addMetric(metric(LLM, 1, NOON + 1));
    clock.ms = NOON + 2 * HOUR;
    aggregator.addMetric(metric(LLM, 2, clock.ms));
    expect(aggregator.exportMetrics(AggregationWindow.WEEK).map((m) => m.value)).toEqual([2]);
    expect(aggregator.lastExportTruncated).toBe(false);
  });

  it('reset() forgets everything', () => {
    const { aggregator } = setup();
    aggregator.addMetric(metric(LLM, 1, NOON, { executionId: 'e' }));
    aggregator.recordResourceUtilization({ cpuPercent: 3 });
    aggregator.reset();
    expect(aggregator.exportMetrics(AggregationWindow.WEEK)).toEqual([]);
    expect(aggregator.getPerformanceSummary().resourceUtilization).toEqual({});
    expect(aggregator.getMemoryStats()).toEqual({ sketchBins: {}, liveSlots: {}, bufferedMetrics: 0, trackedExecutions: 0 });
  });
});

import { latestResourceGaugeValues, recordResourceMetrics } from '../../src/agents/resource-metrics';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { getGlobalAggregator } from '../../src/aggregation/global-aggregator';
import { getDropCounts } from '../../src/internal/diag';
import { METRIC_CPU_UTILIZATION, METRIC_MEMORY_USAGE, METRIC_THREAD_POOL_USAGE } from '../../src/spans/names';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { meterRecorder } from './support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('recordResourceMetrics', () => {
  it('records memory and pool usage as metrics, everything in the summary, and the three gauges', async () => {
    const aggregator = new MetricsAggregator();
    const { provider, points } = meterRecorder();
    const meter = provider.getMeter('t');
    recordResourceMetrics({ cpuPercent: 25, memoryMb: 256, threadCount: 4, threadPoolPercent: 60 }, { aggregator, meter, extra: { heapUsedMb: 80 } });
    expect(aggregator.getAggregatedMetrics(MetricType.MEMORY_USAGE, AggregationWindow.MINUTE)?.mean).toBe(256);
    expect(aggregator.getAggregatedMetrics(MetricType.THREAD_POOL_USAGE, AggregationWindow.MINUTE)?.mean).toBe(60);
    expect(aggregator.getPerformanceSummary().resourceUtilization).toEqual({
      cpuPercent: 25,
      threadCount: 4,
      heapUsedMb: 80,
      memoryMb: 256,
      threadPoolPercent: 60,
    });
    expect((await points(METRIC_CPU_UTILIZATION))[0].value).toBe(0.25);
    expect((await points(METRIC_MEMORY_USAGE))[0].value).toBe(256 * 1024 * 1024);
    expect((await points(METRIC_THREAD_POOL_USAGE))[0].value).toBe(0.6);
    expect((await points(METRIC_CPU_UTILIZATION))[0].attributes).toEqual({});
    // The gauges report the latest reading.
    recordResourceMetrics({ cpuPercent: 50 }, { aggregator: false, meter });
    expect((await points(METRIC_CPU_UTILIZATION))[0].value).toBe(0.5);
    expect(latestResourceGaugeValues().cpuRatio).toBe(0.5);
    await provider.shutdown();
  });

  it('uses the global aggregator by default', () => {
    resetForTests();
    recordResourceMetrics({ memoryMb: 100 });
    expect(getGlobalAggregator().getPerformanceSummary().resourceUtilization.memoryMb).toBe(100);
    resetForTests();
  });

  it('drops bad readings (and only them) without throwing', () => {
    const aggregator = new MetricsAggregator();
    expect(() => recordResourceMetrics({ cpuPercent: -1, memoryMb: Number.NaN, threadCount: 3 }, { aggregator })).not.toThrow();
    expect(() => recordResourceMetrics('x' as never)).not.toThrow();
    expect(getDropCounts()['invalid-resource-reading']).toBe(3);
    expect(aggregator.getPerformanceSummary().resourceUtilization).toEqual({ threadCount: 3 });
  });
});

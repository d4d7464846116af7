/**
 * The guide's "Metrics Aggregation" section, translated to TypeScript. The collector there is
 * stood in for by what it hands over: its metrics and its breakdown.
 */
import { getGlobalAggregator } from '../../src/aggregation/global-aggregator';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { AggregationWindow, MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import { breakdown } from './support';

beforeEach(() => {
  resetForTests();
});
afterAll(() => resetForTests());

/** What `collector.metrics` and `collector.getBreakdown()` give after an execution. */
function finishedCollector(executionId: string, llmMs: number) {
  const now = Date.now();
  const metrics: PerformanceMetric[] = [
    { metricType: MetricType.DATABASE_QUERY, value: 125.5, timestamp: now - 300, executionId, agentName: 'my_agent', metadata: { query: 'SELECT * FROM agents', rows: 42 } },
    { metricType: MetricType.EXTERNAL_API, value: 850.0, timestamp: now - 200, executionId, agentName: 'my_agent', metadata: { endpoint: '/api/v1/analyze', status: 200 } },
  ];
  const b = breakdown({
    executionId,
    agentName: 'my_agent',
    startedAt: now - 2000,
    totalMs: 2000,
    ttftMs: 400,
    initializationMs: 50,
    llmProcessingMs: llmMs,
    databaseQueryMs: 125.5,
    externalApiMs: 850,
  });
  return { metrics, getBreakdown: () => b };
}

describe('guide: Metrics Aggregation', () => {
  it('Using the Global Aggregator', () => {
    const collector = finishedCollector('exec-guide-1', 900);

    // Get the global aggregator instance
    const aggregator = getGlobalAggregator();

    // Add metrics from your collector
    for (const m of collector.metrics) aggregator.addMetric(m);

    // Add timing breakdown
    const b = collector.getBreakdown();
    aggregator.addTimingBreakdown(b);

    // Get aggregated statistics
    const minuteStats = aggregator.getAggregatedMetrics(MetricType.LLM_PROCESSING, AggregationWindow.MINUTE);
    const lines = [`LLM Processing (last minute):`, `  Average: ${minuteStats?.mean}ms`, `  P95: ${minuteStats?.p95}ms`, `  P99: ${minuteStats?.p99}ms`];

    expect(minuteStats).toMatchObject({ count: 1, mean: 900, min: 900, max: 900 });
    expect(minuteStats?.p95).toBeCloseTo(900, 6);
    expect(lines[1]).toBe('  Average: 900ms');
    // DB and external API were reported explicitly, so the breakdown did not count them again.
    expect(aggregator.getAggregatedMetrics(MetricType.DATABASE_QUERY, AggregationWindow.MINUTE)?.count).toBe(1);
  });

  it('Performance Summary and bottlenecks', () => {
    const aggregator = getGlobalAggregator();
    for (let i = 0; i < 20; i++) {
      const c = finishedCollector(`exec-${i}`, 800 + i * 10);
      for (const m of c.metrics) aggregator.addMetric(m);
      aggregator.addTimingBreakdown(c.getBreakdown());
    }
    aggregator.recordResourceUtilization({ cpuPercent: 42, memoryMb: 512, threadCount: 8 });

    // Get comprehensive performance summary
    const summary = aggregator.getPerformanceSummary();
    const report = [
      'Current Performance:',
      `  Active Metrics: ${Object.keys(summary.currentMetrics).length}`,
      `  Trends: ${JSON.stringify(summary.trends)}`,
      `  Resource Utilization: ${JSON.stringify(summary.resourceUtilization)}`,
    ];
    expect(report[1]).toBe('  Active Metrics: 9');
    expect(summary.resourceUtilization).toEqual({ cpuPercent: 42, memoryMb: 512, threadCount: 8 });
    expect(summary.trends).toEqual({}); // no previous five minutes yet

    // Identify bottlenecks
    const bottlenecks = aggregator.getBottlenecks(95);
    const printed = bottlenecks.map((b) => `Bottleneck: ${b.metricType} (threshold: ${b.threshold}ms)`);
    expect(bottlenecks[0].metricType).toBe(MetricType.TOTAL_EXECUTION);
    expect(bottlenecks.map((b) => b.metricType)).toContain(MetricType.LLM_PROCESSING);
    expect(printed[0]).toMatch(/^Bottleneck: total_execution \(threshold: 2\d{3}(\.\d+)?ms\)$/);
  });
});

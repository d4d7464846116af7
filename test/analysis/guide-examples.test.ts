/**
 * The guide's "Analyzing Performance" and "Performance Optimization Tips" sections, translated to
 * TypeScript. Collectors are stood in for by the breakdowns and metrics they produce. (Tip 4,
 * the critical path, belongs to the collector and is tested with it.)
 */
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { PerformanceAnalyzer } from '../../src/analysis/performance-analyzer';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { breakdown, ManualClock, metric, MINUTE, NOON, SECOND } from '../aggregation/support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

function busyAggregator() {
  const clock = new ManualClock(NOON + 5 * SECOND);
  const aggregator = new MetricsAggregator({ now: clock.now });
  // An hour of traffic: one execution every 20 s; the last five minutes got slower LLM calls.
  for (let i = 0; i < 180; i++) {
    const end = NOON - i * 20 * SECOND;
    const llm = end > NOON - 5 * MINUTE ? 2600 : 1000 + (i % 10) * 10;
    const db = i === 42 ? 2500 : 40 + (i % 5);
    aggregator.addMetric(metric(MetricType.DATABASE_QUERY, db, end - 3000, { executionId: `e${i}` }));
    aggregator.addTimingBreakdown(
      breakdown({ executionId: `e${i}`, startedAt: end - 4000, totalMs: 4000, ttftMs: i % 3 === 0 ? 1500 : 600, llmProcessingMs: llm, databaseQueryMs: db, initializationMs: 100 }),
    );
  }
  return aggregator;
}

describe('guide: Analyzing Performance', () => {
  it('Performance Analyzer', () => {
    const analyzer = new PerformanceAnalyzer();
    const b = breakdown({ executionId: 'x', totalMs: 5200, ttftMs: 1400, initializationMs: 150, llmProcessingMs: 3900, toolExecutionMs: 600, databaseQueryMs: 300 });

    // Analyze timing breakdown
    const analysis = analyzer.analyzeTimingBreakdown(b);
    const printed = [`Efficiency Score: ${analysis.efficiencyScore}%`, `Bottlenecks: ${JSON.stringify(analysis.bottlenecks)}`, `Recommendations: ${analysis.recommendations.join(' | ')}`];

    expect(printed[0]).toBe(`Efficiency Score: ${b.calculateEfficiency()}%`); // 250 ms overhead of 5200
    expect(analysis.efficiencyScore).toBeCloseTo(95.19, 2);
    expect(analysis.bottlenecks[0]).toEqual({ category: 'llm_processing', ms: 3900, percent: 75 });
    expect(analysis.recommendations[0]).toMatch(/^LLM processing took 3900 ms \(75% of the 5200 ms execution\)/);
    expect(analysis.recommendations[1]).toMatch(/^The first token arrived after 1400 ms/);
  });

  it('Anomaly Detection', () => {
    const aggregator = busyAggregator();
    const analyzer = new PerformanceAnalyzer();

    // Detect performance anomalies
    const metrics = aggregator.exportMetrics(AggregationWindow.HOUR);
    const anomalies = analyzer.detectAnomalies(metrics);
    const lines = anomalies.flatMap((a) => [`Anomaly detected: ${a.metricType}`, `  Value: ${a.value}ms (mean: ${a.mean}ms)`, `  Z-score: ${a.zScore}`]);

    expect(anomalies.some((a) => a.metricType === MetricType.DATABASE_QUERY && a.value === 2500)).toBe(true);
    expect(lines[0]).toMatch(/^Anomaly detected: /);
    expect(aggregator.lastExportTruncated).toBe(false);
  });

  it('SLO Compliance', () => {
    const aggregator = busyAggregator();
    const analyzer = new PerformanceAnalyzer();
    const metrics = aggregator.exportMetrics(AggregationWindow.HOUR);

    // Define Service Level Objectives
    const sloThresholds = {
      time_to_first_token: 1000, // 1 second
      database_query: 100, // 100ms
      total_execution: 5000, // 5 seconds
    };

    // Calculate compliance
    const compliance = analyzer.calculateSloCompliance(metrics, sloThresholds);
    const printed = Object.entries(compliance).map(([type, percent]) => `${type}: ${percent.toFixed(1)}% compliant`);

    const share = (type: MetricType, limit: number) => {
      const values = metrics.filter((m) => m.metricType === type).map((m) => m.value);
      return (100 * values.filter((v) => v <= limit).length) / values.length;
    };
    expect(compliance.total_execution).toBe(100);
    expect(compliance.time_to_first_token).toBe(share(MetricType.TTFT, 1000));
    expect(compliance.time_to_first_token).toBeGreaterThan(60);
    expect(compliance.time_to_first_token).toBeLessThan(70);
    expect(compliance.database_query).toBe(share(MetricType.DATABASE_QUERY, 100));
    expect(compliance.database_query).toBeLessThan(100); // the 2.5 s query
    expect(printed).toContain('total_execution: 100.0% compliant');
    // The same from the aggregator's sketches, and the error budget for a 99 % target.
    expect(analyzer.calculateSloCompliance(aggregator, sloThresholds).total_execution).toBe(100);
    expect(analyzer.calculateErrorBudget(metrics, sloThresholds, 99).database_query.met).toBe(true);
  });
});

describe('guide: Performance Optimization Tips', () => {
  it('1. Identify Bottlenecks', () => {
    const aggregator = busyAggregator();
    const bottlenecks = aggregator.getBottlenecks(90);
    expect(bottlenecks[0].metricType).toBe(MetricType.TOTAL_EXECUTION);
    const order = bottlenecks.map((b) => b.metricType);
    expect(order.indexOf(MetricType.LLM_PROCESSING)).toBeLessThan(order.indexOf(MetricType.DATABASE_QUERY));
    for (let i = 1; i < bottlenecks.length; i++) {
      expect(bottlenecks[i - 1].timeAboveThresholdMs).toBeGreaterThanOrEqual(bottlenecks[i].timeAboveThresholdMs);
    }
  });

  it('2. Monitor Trends', () => {
    const aggregator = busyAggregator();
    const summary = aggregator.getPerformanceSummary();
    let acted = false;
    if (summary.trends.llm_processing === 'degrading') {
      // Take action to improve LLM performance
      acted = true;
    }
    expect(acted).toBe(true);
    expect(summary.trends.total_execution).toBe('stable');
  });

  it('3. Set Alerts', () => {
    const aggregator = busyAggregator();
    const alerts: string[] = [];
    const sendAlert = (message: string) => alerts.push(message);
    function checkPerformanceAlerts(thresholdMs: number): void {
      const metrics = aggregator.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.FIVE_MINUTES);
      if (metrics && metrics.p95 > thresholdMs) sendAlert('High P95 latency detected');
    }
    checkPerformanceAlerts(10_000); // 10 seconds: fine
    expect(alerts).toEqual([]);
    checkPerformanceAlerts(3_000);
    expect(alerts).toEqual(['High P95 latency detected']);
  });
});

import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { PerformanceAnalyzer } from '../../src/analysis/performance-analyzer';
import type { TimingBreakdown } from '../../src/breakdown/timing-breakdown';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { breakdown, ManualClock, metric, NOON } from '../aggregation/support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('PerformanceAnalyzer', () => {
  const analyzer = new PerformanceAnalyzer();

  it('analyzeTimingBreakdown: efficiency, bottlenecks by share, recommendations', () => {
    const b = breakdown({ totalMs: 2000, llmProcessingMs: 1400, queueWaitMs: 300, databaseQueryMs: 100 }); // overhead 200
    const a = analyzer.analyzeTimingBreakdown(b);
    expect(a.efficiencyScore).toBe(b.calculateEfficiency());
    expect(a.efficiencyScore).toBe(75);
    expect(a.bottlenecks.map((x) => [x.category, x.ms, x.percent])).toEqual([
      ['llm_processing', 1400, 70],
      ['queue_wait', 300, 15],
      ['overhead', 200, 10],
      ['database_query', 100, 5],
    ]);
    expect(a.recommendations.map((r) => r.split(' ')[0])).toEqual(['LLM', 'Work']);
  });

  it('accepts the plain toJSON() form and survives garbage', () => {
    const b = breakdown({ totalMs: 100, toolExecutionMs: 80 });
    expect(analyzer.analyzeTimingBreakdown(b.toJSON())).toEqual(analyzer.analyzeTimingBreakdown(b));
    expect(analyzer.analyzeTimingBreakdown(null as unknown as TimingBreakdown)).toEqual({ efficiencyScore: 100, bottlenecks: [], recommendations: [] });
  });

  it('analyzeAggregates runs the same analysis on a window of aggregates', () => {
    const clock = new ManualClock(NOON + 1000);
    const aggregator = new MetricsAggregator({ now: clock.now });
    for (let i = 0; i < 10; i++) aggregator.addTimingBreakdown(breakdown({ executionId: `e${i}`, startedAt: NOON - 5000, totalMs: 1000, databaseQueryMs: 600, llmProcessingMs: 300 }));
    const a = analyzer.analyzeAggregates(aggregator.getPerformanceSummary().currentMetrics);
    expect(a?.bottlenecks[0]).toMatchObject({ category: 'database_query', percent: 60 });
    expect(a?.recommendations[0]).toMatch(/^Database queries took 600 ms \(60%\)/);
    expect(analyzer.analyzeAggregates({})).toBeUndefined();
  });

  it('SLO compliance and error budget on a metric list and on an aggregator', () => {
    const clock = new ManualClock(NOON + 1000);
    const aggregator = new MetricsAggregator({ now: clock.now });
    const values = Array.from({ length: 100 }, (_, i) => (i < 97 ? 500 : 3000));
    values.forEach((v) => aggregator.addMetric(metric(MetricType.TTFT, v, NOON)));
    const thresholds = { time_to_first_token: 1000 };
    const exported = aggregator.exportMetrics(AggregationWindow.HOUR);
    expect(analyzer.calculateSloCompliance(exported, thresholds)).toEqual({ time_to_first_token: 97 });
    expect(analyzer.calculateSloCompliance(aggregator, thresholds, { window: AggregationWindow.HOUR })).toEqual({ time_to_first_token: 97 });
    const budget = analyzer.calculateErrorBudget(exported, thresholds, 99).time_to_first_token;
    expect(budget).toMatchObject({ good: 97, bad: 3, met: false });
    expect(budget.budgetRemainingPercent).toBeCloseTo(-200, 8);
    expect(analyzer.calculateErrorBudget(aggregator, thresholds, 95).time_to_first_token.budgetRemainingPercent).toBeCloseTo(40, 8);
  });

  it('validates custom recommendation thresholds', () => {
    expect(() => new PerformanceAnalyzer({ recommendationThresholds: { llmProcessingPercent: -1 } })).toThrow(/llmProcessingPercent/);
    expect(() => new PerformanceAnalyzer({ recommendationThresholds: { nope: 1 } as never })).toThrow(/unknown recommendation threshold "nope"/);
  });
});

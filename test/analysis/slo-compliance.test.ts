import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { complianceFromCounts, errorBudgetsFromCounts, sloCounts } from '../../src/analysis/slo-compliance';
import { AggregationWindow, MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import { ManualClock, metric, NOON } from '../aggregation/support';

const { TTFT, DATABASE_QUERY: DB, TOTAL_EXECUTION: TOTAL } = MetricType;

function list(type: MetricType, values: readonly number[]): PerformanceMetric[] {
  return values.map((v, i) => metric(type, v, NOON - i));
}

describe('SLO compliance', () => {
  const metrics = [...list(TTFT, [200, 800, 1000, 1001, 3000]), ...list(DB, Array.from({ length: 200 }, (_, i) => (i < 198 ? 50 : 500)))];

  it('counts values ≤ threshold exactly from a metric list, keyed by MetricType value', () => {
    const counts = sloCounts(metrics, { [TTFT]: 1000, [DB]: 100, [TOTAL]: 5000, not_a_type: 1 });
    expect(counts).toEqual({ [TTFT]: { threshold: 1000, total: 5, good: 3 }, [DB]: { threshold: 100, total: 200, good: 198 } });
    expect(complianceFromCounts(counts)).toEqual({ [TTFT]: 60, [DB]: 99 });
  });

  it('error budget: what the target allows and how much is left', () => {
    const budgets = errorBudgetsFromCounts(sloCounts(metrics, { [TTFT]: 1000, [DB]: 100 }), 99);
    expect(budgets[DB]).toMatchObject({ total: 200, good: 198, bad: 2, compliancePercent: 99, targetPercent: 99, met: true });
    expect(budgets[DB].allowedBad).toBeCloseTo(2, 10);
    expect(budgets[DB].budgetRemainingPercent).toBeCloseTo(0, 8); // exactly spent
    expect(budgets[TTFT].met).toBe(false);
    expect(budgets[TTFT].budgetRemainingPercent).toBeCloseTo(100 * (1 - 2 / 0.05), 8); // overspent: negative
    const lenient = errorBudgetsFromCounts(sloCounts(metrics, { [DB]: 100 }), 95);
    expect(lenient[DB].budgetRemainingPercent).toBeCloseTo(80, 8); // 2 of 10 allowed
  });

  it('rejects targets without a budget and thresholds that are not numbers', () => {
    expect(() => errorBudgetsFromCounts({}, 100)).toThrow(/strictly between 0 and 100/);
    expect(() => errorBudgetsFromCounts({}, 0)).toThrow(RangeError);
    expect(() => sloCounts(metrics, { [TTFT]: Number.NaN })).toThrow(/time_to_first_token/);
    expect(() => sloCounts(metrics, null as unknown as Record<string, number>)).toThrow(TypeError);
  });

  it('works the same on an aggregator (from its sketches) as on its exported metrics', () => {
    const clock = new ManualClock(NOON + 1000);
    const aggregator = new MetricsAggregator({ now: clock.now });
    for (const m of metrics) aggregator.addMetric(m);
    const fromAggregator = complianceFromCounts(sloCounts(aggregator, { [TTFT]: 1000, [DB]: 100 }, AggregationWindow.HOUR));
    const fromExport = complianceFromCounts(sloCounts(aggregator.exportMetrics(AggregationWindow.HOUR), { [TTFT]: 1000, [DB]: 100 }));
    expect(fromExport).toEqual({ [TTFT]: 60, [DB]: 99 });
    expect(fromAggregator[DB]).toBe(99);
    expect(Math.abs(fromAggregator[TTFT] - 60)).toBeLessThanOrEqual(20); // 1000 and 1001 share a ±1 % bin
  });

  it('empty input gives empty results', () => {
    expect(complianceFromCounts(sloCounts([], { [TTFT]: 1 }))).toEqual({});
    expect(errorBudgetsFromCounts(sloCounts([], { [TTFT]: 1 }), 99)).toEqual({});
  });
});

import { AggregationWindow, MetricsAggregator, MetricType } from '../../src';

// The live report's first step: the aggregator's export, in steps (exportMetricsSteps), gives the
// same list as exportMetrics() and is not changed by observations recorded between its steps.

describe('MetricsAggregator.exportMetricsSteps()', () => {
  const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

  function filled(capacity: number, n: number): MetricsAggregator {
    const a = new MetricsAggregator({ now: () => NOW, maxExportedMetrics: capacity });
    for (let i = 0; i < n; i++) {
      a.addMetric({ metricType: MetricType.LLM_PROCESSING, value: i, timestamp: NOW - 50_000 + (i % 997) * 40, executionId: `e${i}`, metadata: { i } });
    }
    return a;
  }

  it('gives exportMetrics() list, perStep observations per step, and the same truncation figures', () => {
    const a = filled(500, 1200);
    const whole = a.exportMetrics(AggregationWindow.HOUR);
    const omitted = a.lastExportOmitted;
    expect(omitted).toBe(700);
    const steps = a.exportMetricsSteps(AggregationWindow.HOUR, 100);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    expect(r.value).toEqual(whole);
    expect(yields).toBe(5); // one before each 100 of the 500
    expect(a.lastExportTruncated).toBe(true);
    expect(a.lastExportOmitted).toBe(omitted);
  });

  it('is a snapshot of its first step: later observations (overwriting the buffer) do not show', () => {
    const a = filled(300, 300);
    const before = a.exportMetrics(AggregationWindow.HOUR);
    const steps = a.exportMetricsSteps(AggregationWindow.HOUR, 50);
    steps.next();
    for (let i = 0; i < 400; i++) a.addMetric({ metricType: MetricType.TOOL_EXECUTION, value: 1e6 + i, timestamp: NOW - 1000 });
    let r = steps.next();
    while (!r.done) r = steps.next();
    expect(r.value).toEqual(before);
    expect(a.exportMetrics(AggregationWindow.HOUR).every((m) => m.metricType === MetricType.TOOL_EXECUTION)).toBe(true);
  });
});

import { toAggregatedMetrics } from '../../src/aggregation/aggregated-metrics';
import { QuantileSketch } from '../../src/aggregation/quantile-sketch';
import { RunningStats } from '../../src/aggregation/running-stats';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';

describe('toAggregatedMetrics', () => {
  it('builds the public shape, undefined when empty', () => {
    const stats = new RunningStats();
    const sketch = new QuantileSketch({ relativeAccuracy: 0.01, maxBins: 1024 });
    expect(toAggregatedMetrics(MetricType.TTFT, AggregationWindow.MINUTE, { stats, sketch: undefined }, 0, 1)).toBeUndefined();
    for (const v of [1, 2, 3, 4]) {
      stats.add(v);
      sketch.add(v);
    }
    const a = toAggregatedMetrics(MetricType.TTFT, AggregationWindow.MINUTE, { stats, sketch }, 100, 200);
    expect(a).toMatchObject({ metricType: MetricType.TTFT, window: 60, count: 4, sum: 10, mean: 2.5, min: 1, max: 4, windowStartMs: 100, asOfMs: 200 });
    expect(Object.keys(a ?? {}).sort()).toEqual(
      ['metricType', 'window', 'count', 'sum', 'mean', 'min', 'max', 'stdDev', 'p50', 'p90', 'p95', 'p99', 'windowStartMs', 'asOfMs'].sort(),
    );
    expect(a?.p99).toBe(4);
  });
});

import { bottleneckOf, rankBottlenecks, type Bottleneck } from '../../src/aggregation/bottlenecks';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { summarized } from '../support/summarized';

describe('bottleneckOf', () => {
  it('uses the exact sum when the threshold is the minimum (most values equal or zero)', () => {
    const b = bottleneckOf(MetricType.QUEUE_WAIT, AggregationWindow.HOUR, summarized([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]), 95);
    expect(b).toMatchObject({ threshold: 0, atOrAboveCount: 21, timeAboveThresholdMs: 7, exceedingCount: 1, percentOfTypeTime: 100 });
  });

  it('is undefined for an empty range', () => {
    expect(bottleneckOf(MetricType.TTFT, AggregationWindow.HOUR, summarized([]), 95)).toBeUndefined();
  });

  it('ranks by time above threshold, then by type for ties', () => {
    const mk = (metricType: MetricType, t: number) => ({ metricType, timeAboveThresholdMs: t }) as Bottleneck;
    const ranked = rankBottlenecks([mk(MetricType.TTFT, 5), mk(MetricType.LLM_PROCESSING, 9), mk(MetricType.DATABASE_QUERY, 5)]);
    expect(ranked.map((b) => b.metricType)).toEqual([MetricType.LLM_PROCESSING, MetricType.DATABASE_QUERY, MetricType.TTFT]);
  });
});

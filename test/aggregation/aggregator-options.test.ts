import { resolveAggregatorOptions } from '../../src/aggregation/aggregator-options';

describe('resolveAggregatorOptions', () => {
  it('fills the documented defaults', () => {
    const o = resolveAggregatorOptions(undefined);
    expect(o).toMatchObject({
      retentionSlots: 24,
      now: Date.now,
      maxFutureSkewMs: 60_000,
      maxExportedMetrics: 10_000,
      maxTrackedExecutions: 10_000,
      metricIdentityTracking: 'withExecutionId',
      relativeAccuracy: 0.01,
      maxBinsPerSlot: 1024,
      trendDegradingThreshold: 0.1,
      trendImprovingThreshold: 0.1,
      trendMinSamples: 1,
      maxResourceKeys: 16,
    });
  });

  it('says what to change', () => {
    expect(() => resolveAggregatorOptions({ retentionHours: -1 })).toThrow(
      'agent-timing: MetricsAggregator option retentionHours must be a number of hours > 0, e.g. 24; got -1',
    );
  });
});

import { getGlobalAggregator, resetGlobalAggregator, setGlobalAggregator } from '../../src/aggregation/global-aggregator';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';

afterEach(() => resetForTests());

describe('global aggregator', () => {
  it('is one lazily created process-wide instance', () => {
    const a = getGlobalAggregator();
    expect(a).toBeInstanceOf(MetricsAggregator);
    expect(getGlobalAggregator()).toBe(a);
    expect(a.retentionHours).toBe(24);
  });

  it('can be replaced and reset', () => {
    const custom = new MetricsAggregator({ retentionHours: 48 });
    setGlobalAggregator(custom);
    expect(getGlobalAggregator()).toBe(custom);
    resetGlobalAggregator();
    expect(getGlobalAggregator()).not.toBe(custom);
    expect(() => setGlobalAggregator({} as MetricsAggregator)).toThrow(TypeError);
  });
});

import { groupByType } from '../../src/analysis/metric-input';
import { getDropCounts } from '../../src/internal/diag';
import { MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('groupByType', () => {
  it('groups usable metrics by type in input order and skips the rest (counted)', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('no'); } });
    const input = [
      { metricType: MetricType.TTFT, value: 5, timestamp: 1, executionId: 'e', agentName: 'a' },
      { metricType: MetricType.TTFT, value: 0, timestamp: 2 },
      { metricType: MetricType.TTFT, value: -1, timestamp: 3 },
      { metricType: 'bogus', value: 1, timestamp: 4 },
      hostile,
      7,
    ] as unknown as PerformanceMetric[];
    const groups = groupByType(input);
    expect([...groups.keys()]).toEqual([MetricType.TTFT]);
    expect(groups.get(MetricType.TTFT)).toEqual([{ value: 5, timestamp: 1, executionId: 'e', agentName: 'a' }, { value: 0, timestamp: 2 }]);
    expect(getDropCounts()['analysis-invalid-metric']).toBe(4);
  });

  it('treats a non-array as empty', () => {
    expect(groupByType(undefined).size).toBe(0);
    expect(groupByType({} as unknown as PerformanceMetric[]).size).toBe(0);
    expect(getDropCounts()['analysis-invalid-input']).toBe(1);
  });
});

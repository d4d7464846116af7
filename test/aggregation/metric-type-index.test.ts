import { METRIC_TYPES, metricTypeIndex } from '../../src/aggregation/metric-type-index';
import { MetricType } from '../../src/types/metric-type';

describe('metricTypeIndex', () => {
  it('indexes every MetricType value, and nothing else', () => {
    expect(METRIC_TYPES).toHaveLength(11);
    for (const t of Object.values(MetricType)) expect(METRIC_TYPES[metricTypeIndex(t) as number]).toBe(t);
    expect(metricTypeIndex('TTFT')).toBeUndefined();
    expect(metricTypeIndex(0)).toBeUndefined();
  });
});

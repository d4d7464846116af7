import { QuantileSketch } from '../../src/aggregation/quantile-sketch';
import { RunningStats } from '../../src/aggregation/running-stats';
import { sloCountsOf } from '../../src/aggregation/slo-counts';

function range(values: number[]) {
  const stats = new RunningStats();
  const sketch = new QuantileSketch({ relativeAccuracy: 0.01, maxBins: 1024 });
  for (const v of values) {
    stats.add(v);
    sketch.add(v);
  }
  return { stats, sketch };
}

describe('sloCountsOf', () => {
  it('is exact outside [min, max) and estimates inside', () => {
    const r = range([10, 20, 30, 40]);
    expect(sloCountsOf(r, 40)).toEqual({ threshold: 40, total: 4, good: 4 });
    expect(sloCountsOf(r, 9.99)).toEqual({ threshold: 9.99, total: 4, good: 0 });
    expect(sloCountsOf(r, 25)?.good).toBe(2);
    expect(sloCountsOf(range([]), 5)).toBeUndefined();
  });
});

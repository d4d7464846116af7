import { QuantileSketch } from '../../src/aggregation/quantile-sketch';
import { RunningStats } from '../../src/aggregation/running-stats';

/** A slot's worth of summaries of `values`, as the aggregator keeps them: exact stats and a sketch (α = 1 %). */
export function summarized(values: number[]): { stats: RunningStats; sketch: QuantileSketch } {
  const stats = new RunningStats();
  const sketch = new QuantileSketch({ relativeAccuracy: 0.01, maxBins: 1024 });
  for (const v of values) {
    stats.add(v);
    sketch.add(v);
  }
  return { stats, sketch };
}

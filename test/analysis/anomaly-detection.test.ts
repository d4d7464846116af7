import { detectAnomalies } from '../../src/analysis/anomaly-detection';
import { getDropCounts } from '../../src/internal/diag';
import { MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import type { AggregatedMetrics } from '../../src/aggregation/aggregated-metrics';
import { metric, NOON } from '../aggregation/support';
import { resetForTests } from '../../src/setup/reset-for-tests';

const DB = MetricType.DATABASE_QUERY;
const LLM = MetricType.LLM_PROCESSING;

beforeEach(() => resetForTests());

function list(type: MetricType, values: readonly number[]): PerformanceMetric[] {
  return values.map((v, i) => metric(type, v, NOON + i, { executionId: `e${i}` }));
}

/** Nine ordinary queries around 100 ms and one that took 10 s. */
const MASKED = [98, 101, 99, 102, 100, 97, 103, 100, 101, 10_000];

describe('detectAnomalies', () => {
  it('z-score finds a clear outlier among many values', () => {
    const values = [...Array.from({ length: 49 }, (_, i) => 100 + (i % 7) - 3), 400];
    const found = detectAnomalies(list(DB, values));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ metricType: DB, value: 400, timestamp: NOON + 49, executionId: 'e49', mode: 'zscore' });
    expect(found[0].zScore).toBeCloseTo((400 - found[0].mean) / found[0].stdDev, 10);
    expect(found[0].zScore).toBeGreaterThan(3);
  });

  it('a masking outlier: z-score misses it (it inflates its own deviation), robust mode catches it', () => {
    const metrics = list(DB, MASKED);
    const z = detectAnomalies(metrics);
    expect(z).toEqual([]); // max possible z with n = 10 is (n−1)/√n ≈ 2.85 < 3
    const robust = detectAnomalies(metrics, { mode: 'robust' });
    expect(robust).toHaveLength(1);
    expect(robust[0]).toMatchObject({ value: 10_000, mode: 'robust', mean: 100.5 }); // median
    // stdDev holds MAD / 0.6745, so zScore = 0.6745 (x − median) / MAD.
    expect(robust[0].stdDev).toBeCloseTo(1.5 / 0.6745, 10);
    expect(robust[0].zScore).toBeCloseTo((0.6745 * (10_000 - 100.5)) / 1.5, 6);
  });

  it('robust mode falls back to the mean absolute deviation when more than half the values are equal', () => {
    const found = detectAnomalies(list(DB, [100, 100, 100, 100, 100, 100, 5000]), { mode: 'robust' });
    expect(found.map((a) => a.value)).toEqual([5000]);
  });

  it('scores each type against its own distribution and sorts the most extreme first', () => {
    const metrics = [...list(DB, [...Array(30).fill(10), 60]), ...list(LLM, [...Array(30).fill(1000), 900, 9000])];
    const found = detectAnomalies(metrics, { zThreshold: 2 });
    // z(LLM 9000) ≈ 5.57 > z(DB 60) ≈ 5.48; the 900 ms LLM call (z ≈ −0.25) is ordinary.
    expect(found.map((a) => [a.metricType, a.value])).toEqual([
      [LLM, 9000],
      [DB, 60],
    ]);
    expect(Math.abs(found[0].zScore)).toBeGreaterThanOrEqual(Math.abs(found[1].zScore));
  });

  it('reports unusually low values too (negative zScore)', () => {
    const found = detectAnomalies(list(LLM, [...Array(40).fill(1000).map((v, i) => v + (i % 5)), 1]));
    expect(found).toHaveLength(1);
    expect(found[0].zScore).toBeLessThan(-3);
  });

  it('scores against aggregates as a baseline (e.g. the last hour)', () => {
    const baseline = { metricType: DB, count: 1000, mean: 100, stdDev: 10 } as AggregatedMetrics;
    const found = detectAnomalies(list(DB, [105, 135, 90]), { baseline: [baseline] });
    expect(found.map((a) => a.value)).toEqual([135]);
    expect(found[0]).toMatchObject({ mean: 100, stdDev: 10, zScore: 3.5 });
    expect(() => detectAnomalies([], { baseline, mode: 'robust' })).toThrow(/baseline/);
  });

  it('empty, tiny and constant inputs give no anomalies and no NaN', () => {
    expect(detectAnomalies([])).toEqual([]);
    expect(detectAnomalies(list(DB, [1, 1000]))).toEqual([]); // below minSamples
    expect(detectAnomalies(list(DB, [5, 5, 5, 5]))).toEqual([]);
    expect(detectAnomalies(list(DB, [5, 5, 5, 5]), { mode: 'robust' })).toEqual([]);
    expect(detectAnomalies(null as unknown as PerformanceMetric[])).toEqual([]);
  });

  it('skips unusable entries (counted) and does not mutate its input', () => {
    const metrics = Object.freeze([...list(DB, [1, 2, 3, 100]), { metricType: 'x', value: 1, timestamp: 1 }, null, metric(DB, Number.NaN, NOON)]);
    const snapshot = JSON.stringify(metrics);
    expect(() => detectAnomalies(metrics as PerformanceMetric[], { zThreshold: 1.5 })).not.toThrow();
    expect(JSON.stringify(metrics)).toBe(snapshot);
    expect(getDropCounts()['analysis-invalid-metric']).toBe(3);
  });

  it('validates its options', () => {
    expect(() => detectAnomalies([], { zThreshold: 0 })).toThrow(RangeError);
    expect(() => detectAnomalies([], { mode: 'mad' as 'robust' })).toThrow(/mode/);
    expect(() => detectAnomalies([], { minSamples: 1 })).toThrow(/minSamples/);
  });
});

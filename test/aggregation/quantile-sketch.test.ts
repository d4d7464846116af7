import { QuantileSketch, nearestRank, sharedMappingCount } from '../../src/aggregation/quantile-sketch';
import { exactPercentile, logNormal, relErr } from './support';

const SETTINGS = { relativeAccuracy: 0.01, maxBins: 1024 };

function sketchOf(values: readonly number[]): QuantileSketch {
  const s = new QuantileSketch(SETTINGS);
  for (const v of values) s.add(v);
  return s;
}

describe('QuantileSketch', () => {
  it.each([
    [1_000, 0.5, 11],
    [100_000, 1.0, 12],
    [200_000, 2.0, 13],
  ])('nearest-rank percentiles of %i log-normal values (sigma %p) are within 1 %% of the exact ones', (n, sigma, seed) => {
    const values = logNormal(n, 250, sigma, seed);
    const sorted = [...values].sort((a, b) => a - b);
    const s = sketchOf(values);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const estimate = s.percentile(p, sorted[0], sorted[n - 1]);
      expect(relErr(estimate, exactPercentile(sorted, p))).toBeLessThanOrEqual(0.01);
    }
  });

  it('stays within 1 % after merging sketches of parts', () => {
    const values = logNormal(50_000, 80, 1.5, 5);
    const sorted = [...values].sort((a, b) => a - b);
    const merged = new QuantileSketch(SETTINGS);
    for (let part = 0; part < 10; part++) merged.merge(sketchOf(values.slice(part * 5000, (part + 1) * 5000)));
    expect(merged.count).toBe(values.length);
    for (const p of [50, 90, 95, 99]) {
      expect(relErr(merged.percentile(p, sorted[0], sorted.at(-1) as number), exactPercentile(sorted, p))).toBeLessThanOrEqual(0.01);
    }
  });

  it('counts zeros as real, lowest observations (DDSketch keeps them in zeroCount)', () => {
    const s = sketchOf([0, 0, 0, 0, 0, 0, 10, 20, 30, 40]);
    expect(s.count).toBe(10);
    expect(s.zeroCount).toBe(6);
    expect(s.percentile(50, 0, 40)).toBe(0);
    expect(s.percentile(60, 0, 40)).toBe(0);
    expect(relErr(s.percentile(70, 0, 40), 10)).toBeLessThanOrEqual(0.01);
    expect(s.percentile(100, 0, 40)).toBe(40);
    expect(s.countAtOrBelow(0)).toBe(6);
    expect(s.countAtOrBelow(25)).toBe(8);
  });

  it('percentiles are clamped to the exact min and max', () => {
    const s = sketchOf([100, 100, 100]);
    expect(s.percentile(99, 100, 100)).toBe(100);
    expect(s.percentile(1, 100, 100)).toBe(100);
  });

  it('is empty-safe', () => {
    const s = new QuantileSketch(SETTINGS);
    expect(Number.isNaN(s.percentile(50, Infinity, -Infinity))).toBe(true);
    expect(s.countAtOrBelow(10)).toBe(0);
    expect(s.tailAtOrAbove(10)).toEqual({ count: 0, strictCount: 0, sum: 0 });
  });

  it('countAtOrBelow is exact away from the threshold bin', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1); // 1..1000
    const s = sketchOf(values);
    // 500 sits in a bin spanning ±1 %; everything below 495 and above 505 is classified exactly.
    const c = s.countAtOrBelow(500);
    expect(c).toBeGreaterThanOrEqual(494);
    expect(c).toBeLessThanOrEqual(506);
    expect(s.countAtOrBelow(5000)).toBe(1000);
    expect(s.countAtOrBelow(0.5)).toBe(0);
  });

  it('tailAtOrAbove estimates the tail time within 1 %', () => {
    const values = logNormal(20_000, 100, 1, 3);
    const sorted = [...values].sort((a, b) => a - b);
    const s = sketchOf(values);
    const threshold = s.percentile(95, sorted[0], sorted.at(-1) as number);
    const tail = s.tailAtOrAbove(threshold);
    // The exact tail: values in the threshold's bin or above, i.e. ≥ threshold to within ±1 %.
    const lower = threshold / 1.0202;
    const exactTail = sorted.filter((v) => v > lower);
    expect(Math.abs(tail.count - exactTail.length)).toBeLessThanOrEqual(20);
    const exactSum = exactTail.reduce((a, b) => a + b, 0);
    expect(relErr(tail.sum, exactSum)).toBeLessThanOrEqual(0.015);
    expect(tail.strictCount).toBeLessThanOrEqual(tail.count);
  });

  it('compact() keeps every count and answer, and the sketch keeps accepting values', () => {
    const values = logNormal(10_000, 50, 1.2, 9);
    const s = sketchOf(values);
    const before = [50, 90, 99].map((p) => s.percentile(p, 0, Infinity));
    const binsBefore = s.binCount;
    s.compact();
    expect(s.binCount).toBeLessThanOrEqual(binsBefore);
    expect([50, 90, 99].map((p) => s.percentile(p, 0, Infinity))).toEqual(before);
    s.add(1e6); // far above the trimmed range: the store must regrow
    s.add(1e-3); // far below
    expect(s.count).toBe(10_002);
    expect(s.percentile(100, 0, Infinity)).toBeGreaterThan(9.8e5);
  });

  it('bounds its bins whatever the value range (lowest bins collapse)', () => {
    const s = new QuantileSketch({ relativeAccuracy: 0.01, maxBins: 256 });
    for (let e = -300; e <= 300; e++) s.add(10 ** e);
    expect(s.binCount).toBeLessThanOrEqual(256);
    expect(relErr(s.percentile(100, 0, 1e300), 1e300)).toBeLessThanOrEqual(0.01);
  });

  it('converts to a plain library DDSketch', () => {
    const s = sketchOf([1, 2, 3, 4, 5, 0]);
    const dd = s.toDDSketch();
    expect(dd.count).toBe(6);
    expect(dd.zeroCount).toBe(1);
    expect(dd.getValueAtQuantile(1)).toBeCloseTo(5, 1);
  });
});

describe('shared key mappings', () => {
  it('are kept for at most 16 accuracies; sketches of any other accuracy still merge and answer alike', () => {
    const values = logNormal(5_000, 100, 1, 3);
    const sorted = [...values].sort((a, b) => a - b);
    for (let k = 0; k < 40; k++) {
      const settings = { relativeAccuracy: 0.01 + k * 0.001, maxBins: 2048 };
      const a = new QuantileSketch(settings);
      const b = new QuantileSketch(settings);
      values.forEach((v, i) => (i % 2 ? a : b).add(v));
      a.merge(b);
      expect(relErr(a.percentile(95, sorted[0], sorted[sorted.length - 1]), exactPercentile(sorted, 95))).toBeLessThanOrEqual(settings.relativeAccuracy);
    }
    expect(sharedMappingCount()).toBeLessThanOrEqual(16);
    expect(sharedMappingCount()).toBeGreaterThan(0);
  });
});

describe('nearestRank', () => {
  it('is ⌈p·n/100⌉ clamped to [1, n], immune to binary noise', () => {
    expect(nearestRank(50, 10)).toBe(5);
    expect(nearestRank(95, 100)).toBe(95);
    expect(nearestRank(99.9, 1000)).toBe(999);
    expect(nearestRank(0.0001, 10)).toBe(1);
    expect(nearestRank(100, 7)).toBe(7);
    expect(nearestRank(99, 1)).toBe(1);
  });
});

import fc from 'fast-check';
import { RunningStats } from '../../src/aggregation/running-stats';

function of(values: readonly number[]): RunningStats {
  const s = new RunningStats();
  for (const v of values) s.add(v);
  return s;
}

function twoPassSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
}

describe('RunningStats', () => {
  it('merging parts equals adding everything (Chan), for any split (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.nat(), (values, cut) => {
        const k = cut % (values.length + 1);
        const merged = of(values.slice(0, k));
        merged.merge(of(values.slice(k)));
        const whole = of(values);
        expect(merged.count).toBe(whole.count);
        expect(merged.min).toBe(whole.min);
        expect(merged.max).toBe(whole.max);
        expect(merged.sum).toBeCloseTo(whole.sum, 3);
        const sd = twoPassSd(values);
        expect(Math.abs(merged.stdDev - sd)).toBeLessThanOrEqual(1e-6 * Math.max(1, sd));
      }),
    );
  });

  it('is stable for a large mean with a tiny spread', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1e12 + (i % 2));
    const parts = [of(values.slice(0, 333)), of(values.slice(333, 700)), of(values.slice(700))];
    const s = new RunningStats();
    for (const p of parts) s.merge(p);
    // At 1e12 a double resolves ~1e-4, so 1e-6 is as exact as the inputs allow; the textbook
    // Σx² − (Σx)²/n form loses everything here (Σx² ≈ 1e27 carries no digit below 1e11).
    expect(s.stdDev).toBeCloseTo(0.5, 6);
  });

  it('has zero spread below two values and resets cleanly', () => {
    const s = of([5]);
    expect(s.stdDev).toBe(0);
    s.reset();
    expect(s).toMatchObject({ count: 0, sum: 0, min: Infinity, max: -Infinity, stdDev: 0 });
  });
});

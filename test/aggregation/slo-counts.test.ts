import { sloCountsOf } from '../../src/aggregation/slo-counts';
import { summarized } from '../support/summarized';

describe('sloCountsOf', () => {
  it('is exact outside [min, max) and estimates inside', () => {
    const r = summarized([10, 20, 30, 40]);
    expect(sloCountsOf(r, 40)).toEqual({ threshold: 40, total: 4, good: 4 });
    expect(sloCountsOf(r, 9.99)).toEqual({ threshold: 9.99, total: 4, good: 0 });
    expect(sloCountsOf(r, 25)?.good).toBe(2);
    expect(sloCountsOf(summarized([]), 5)).toBeUndefined();
  });
});
